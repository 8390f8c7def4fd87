// Finds the external oracle tools (objdump, qemu-sparc, the cross compiler) for differential tests.
// Missing tools skip a suite with a visible notice; SPRINGBOARD_REQUIRE_TOOLS=1 (CI) makes that a failure.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';

const found = new Map<string, boolean>();

/** True when `tool` (a command on PATH, or an absolute file path) is there. */
export function hasTool(tool: string): boolean {
  let ok = found.get(tool);
  if (ok === undefined) {
    if (tool.startsWith('/')) ok = existsSync(tool);
    else {
      try {
        execFileSync('sh', ['-c', `command -v "${tool}"`], { stdio: 'ignore' });
        ok = true;
      } catch {
        ok = false;
      }
    }
    found.set(tool, ok);
  }
  return ok;
}

export const toolsRequired = process.env.SPRINGBOARD_REQUIRE_TOOLS === '1';

/**
 * `describe` that runs only when every tool is present. Otherwise it prints why it was skipped,
 * or, when SPRINGBOARD_REQUIRE_TOOLS=1, fails with what to install.
 */
export function describeWithTool(tools: string | readonly string[], title: string, body: () => void): void {
  const list = typeof tools === 'string' ? [tools] : tools;
  const missing = list.filter((t) => !hasTool(t));
  if (missing.length === 0) {
    describe(title, body);
    return;
  }
  const why = `missing ${missing.join(', ')} (Debian: apt-get install gcc-sparc64-linux-gnu binutils-sparc64-linux-gnu libc6-dev-sparc-sparc64-cross libc6-sparc-sparc64-cross qemu-user)`;
  if (toolsRequired) {
    describe(title, () => {
      it('has its external tools', () => {
        throw new Error(`SPRINGBOARD_REQUIRE_TOOLS=1 but ${why}`);
      });
    });
  } else {
    process.stderr.write(`NOTICE: skipping "${title}": ${why}\n`);
    describe.skip(`${title} [skipped: ${why}]`, body);
  }
}

/** Debian's 32-bit SPARC C library, the biggest real input the differential tests use. */
export const LIBC32 = '/usr/sparc64-linux-gnu/lib32/libc.so.6';
