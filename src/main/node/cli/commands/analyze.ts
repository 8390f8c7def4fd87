// `springboard analyze FILE`: structural analysis of a SPARC ELF image: functions, CFGs, call graph, liveness.
import { readFileSync, writeFileSync } from 'node:fs';
import {
  AnalysisError, POLICIES, analyzeProgram, elfCodeSource, functionDot, toModel, type ProgramAnalysis,
} from '../../../core/analysis/index.ts';
import { ElfError, parseElf } from '../../../core/elf/index.ts';
import { CliError, stringOption, type CliIo, type Command, type ParsedArgs } from '../command.ts';

export const analyzeCommand: Command = {
  name: 'analyze',
  summary: 'find functions, basic blocks, the call graph and free registers of a SPARC ELF image',
  description:
    'Prints a summary: functions, blocks, edges, instructions, call-graph edges, switch tables,\n' +
    'unresolved indirect jumps and the time taken. --json writes the whole model (functions with\n' +
    'modules and sizes, blocks with instructions and live registers, typed edges, call sites, the\n' +
    'call graph) for the workbench. --function shows one function: blocks, loops, callers, and the\n' +
    'registers live and free before each instruction; with --dot it prints that CFG as Graphviz.\n' +
    'The register policy says which registers are never free and what software traps touch:\n' +
    'linux-user (default: %g7 reserved, ta 0x10 is a Linux system call), kernel (%g1-%g7\n' +
    'reserved, traps opaque) or strict.',
  positionals: [{ name: 'FILE', description: 'a linked 32-bit big-endian SPARC ELF executable or shared object' }],
  options: {
    json: { type: 'string', value: 'OUT', description: 'write the analysis model as JSON to OUT ("-" for standard output)' },
    function: { type: 'string', value: 'NAME', description: 'show one function (its name or an alias)' },
    dot: { type: 'boolean', description: "with --function: print the function's CFG as Graphviz dot" },
    policy: { type: 'string', value: 'NAME', description: 'register policy: linux-user (default), kernel or strict' },
    'no-text': { type: 'boolean', description: 'with --json: leave out the instruction text (smaller, faster)' },
  },
  examples: [
    'springboard analyze /usr/sparc64-linux-gnu/lib32/libc.so.6',
    'springboard analyze guest/minisol/minisol.elf --policy kernel --json minisol.analysis.json',
    'springboard analyze prog.elf --function main --dot | dot -Tsvg > main.svg',
  ],
  run: (args, io) => runAnalyze(args, io),
};

export function runAnalyze(args: ParsedArgs, io: CliIo): number {
  const file = args.positionals[0]!;
  const json = stringOption(args, 'json');
  const fn = stringOption(args, 'function');
  const dot = args.values.dot === true;
  const policyName = stringOption(args, 'policy') ?? 'linux-user';
  const policy = POLICIES[policyName];
  if (policy === undefined) throw new CliError('bad-policy', `--policy must be one of ${Object.keys(POLICIES).join(', ')}, not "${policyName}"`);
  if (dot && fn === undefined) throw new CliError('dot-needs-function', '--dot needs --function NAME (the CFG of one function)');
  if (fn !== undefined && fn === '') throw new CliError('bad-function', '--function needs a function name');
  if (json === '') throw new CliError('bad-json', '--json needs a file name (or "-")');

  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new CliError('cannot-read', `cannot read ${file}: ${why}`);
  }
  let analysis: ProgramAnalysis;
  const start = performance.now();
  try {
    analysis = analyzeProgram(elfCodeSource(parseElf(bytes), file), { policy });
  } catch (error) {
    if (error instanceof ElfError) throw new CliError('bad-elf', `${file}: ${error.message} [${error.code}]`);
    if (error instanceof AnalysisError) throw new CliError(error.code, error.message);
    throw error;
  }
  const seconds = (performance.now() - start) / 1000;

  if (fn !== undefined) {
    const f = analysis.functionByName(fn);
    if (f === undefined) {
      throw new CliError('no-such-function', `${file} has no function "${fn}" (springboard analyze ${file} --json - lists them)`);
    }
    if (dot) {
      io.stdout(functionDot(analysis, f.index));
      return 0;
    }
    io.stdout(describeFunction(analysis, f.index));
  }
  if (json !== undefined) {
    const text = JSON.stringify(toModel(analysis, { text: args.values['no-text'] !== true }));
    if (json === '-') io.stdout(`${text}\n`);
    else writeFileSync(json, `${text}\n`);
  }
  if (fn === undefined && json !== '-') io.stdout(summary(analysis, file, seconds));
  return 0;
}

function summary(a: ProgramAnalysis, file: string, seconds: number): string {
  const s = a.stats();
  const lines = [
    `${file}: ${a.source.mode} code, policy ${a.policy.name}`,
    `functions            ${s.functions} (+${s.externalFunctions} external stubs); ${s.noReturnFunctions} never return; ${s.complexFunctions} with conservative liveness`,
    `blocks               ${s.blocks}`,
    `edges                ${s.edges}`,
    `instructions         ${s.instructions} of ${s.words} code words (${s.dataWords} data, ${s.paddingWords} padding, ${s.unreachableWords} unreachable, ${s.pltWords} PLT)`,
    `call graph edges     ${s.callGraphEdges} (${s.callSites} call sites, ${s.indirectCalls} indirect)`,
    `switch tables        ${s.jumpTables} (${s.jumpTableTargets} targets)`,
    `unresolved indirect  ${s.unresolvedIndirectJumps} jumps`,
    `loops                ${s.loops} (${s.irreducibleEdges} irreducible edges)`,
    `seconds              ${seconds.toFixed(3)}`,
  ];
  return `${lines.join('\n')}\n`;
}

function describeFunction(a: ProgramAnalysis, index: number): string {
  const f = a.functions[index]!;
  const s = a.summary(index);
  const out: string[] = [];
  const hex = (v: number): string => `0x${v.toString(16)}`;
  out.push(`${f.name} at ${hex(f.address)}, ${f.size} bytes (symbol), ${f.codeBytes} bytes of code, module ${f.module ?? '(unknown)'}, from ${f.source}`);
  if (f.aliases.length > 0) out.push(`aliases: ${f.aliases.join(' ')}`);
  out.push(`returns: ${f.returns ? 'yes' : 'never'}${f.complex ? '; windows not followed: everything is treated as live' : ''}${f.addressTaken ? '; address taken' : ''}`);
  out.push(`reads before writing: ${s.gen.names.join(' ') || '-'}`);
  out.push(`passes through:       ${s.passThrough.names.join(' ') || '-'}`);
  out.push(`live after return:    ${s.exitLive.names.join(' ') || '-'}`);
  const callers = new Set<string>();
  const callees = new Set<string>();
  for (const c of a.callSites()) {
    if (c.callee === index) callers.add(a.functions[c.caller]!.name);
    if (c.caller === index) callees.add(c.callee >= 0 ? a.functions[c.callee]!.name : c.target !== null ? hex(c.target) : '(indirect)');
  }
  out.push(`callers: ${[...callers].sort().join(' ') || '-'}`);
  out.push(`callees: ${[...callees].sort().join(' ') || '-'}`);
  const loops = a.loops(index).loops;
  out.push(`loops: ${loops.length === 0 ? '-' : loops.map((l) => `b${l.header} (depth ${l.depth}, ${l.blocks.length} blocks)`).join(', ')}`);
  out.push('');
  const model = toModel(a, { functions: [index] });
  for (const b of model.blocks) {
    const edges = a.edgesOf(b.index).map((e) => `${e.kind} → ${e.to >= 0 ? `b${e.to}` : e.callee >= 0 ? a.functions[e.callee]!.name : e.address !== 0 ? hex(e.address) : '?'}`);
    out.push(`b${b.index} [${hex(b.start)}, ${hex(b.end)}) ${b.terminator}${b.loopDepth > 0 ? ` loop depth ${b.loopDepth}` : ''}: ${edges.join(', ') || 'no successors'}`);
    for (const ins of b.instructions) {
      const free = a.free(ins.address, 'before');
      out.push(`  ${ins.address.toString(16).padStart(8)}  ${(ins.text ?? '').padEnd(40)} free: ${free?.names.join(' ') || '-'}`);
    }
  }
  return `${out.join('\n')}\n`;
}
