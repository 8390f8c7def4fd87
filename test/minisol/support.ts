// Shared helpers for the minisol tests: the committed image and a booted system run for a while.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MinisolSystem, type BootConfigInput } from '../../src/main/core/minisol/index.ts';

export const IMAGE_PATH = join(import.meta.dirname, '..', '..', 'guest', 'minisol', 'minisol.elf');
export const image = new Uint8Array(readFileSync(IMAGE_PATH));

/** Boots, runs `seconds` of virtual time, returns the system (still running unless it failed). */
export function bootAndRun(config: BootConfigInput, seconds: number): MinisolSystem {
  const sys = MinisolSystem.boot(image, config);
  sys.runFor(seconds);
  if (sys.state !== 'running') {
    throw new Error(`minisol ${sys.state}: ${sys.panic()?.text ?? sys.stopReason}\n${sys.console.lines.slice(-15).join('\n')}`);
  }
  return sys;
}

/** Shuts down cleanly and returns the fsck errors (expected to be none). */
export function shutdownAndCheck(sys: MinisolSystem): string[] {
  sys.shutdown();
  if (sys.state !== 'halted') return [`not halted: ${sys.state}: ${sys.panic()?.text ?? sys.stopReason}`];
  return sys.fsck().errors;
}
