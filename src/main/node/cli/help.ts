// Help text for the command list and for each command, built from the command definitions.
import type { Command } from './command.ts';

export function commandListHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = [
    'springboard — instrument and evolve a running SPARC kernel',
    '',
    'Usage: springboard <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `springboard <command> --help` for a command\'s options.',
  ];
  return lines.join('\n') + '\n';
}

export function commandHelp(command: Command): string {
  const usage = [`springboard ${command.name}`];
  for (const p of command.positionals) {
    const name = p.variadic ? `${p.name}…` : p.name;
    usage.push(p.optional ? `[${name}]` : name);
  }
  if (Object.keys(command.options).length > 0) usage.push('[options]');
  const lines = [`Usage: ${usage.join(' ')}`, '', command.summary];
  if (command.description) lines.push('', command.description);
  if (command.positionals.length > 0) {
    lines.push('', 'Arguments:');
    for (const p of command.positionals) lines.push(`  ${p.name.padEnd(22)}  ${p.description}`);
  }
  const opts = Object.entries(command.options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
    return [flag, o.description] as const;
  });
  opts.push(['-h, --help', 'show this help']);
  lines.push('', 'Options:');
  for (const [flag, text] of opts) lines.push(`  ${flag.padEnd(22)}  ${text}`);
  if (command.examples && command.examples.length > 0) {
    lines.push('', 'Examples:');
    for (const e of command.examples) lines.push(`  ${e}`);
  }
  return lines.join('\n') + '\n';
}
