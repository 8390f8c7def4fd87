// Which engine parts this build wires into a Session; a missing part is a sentence the UI shows.
import { programAnalysis } from './analysis.ts';
import { objdumpDisassembly } from './disassembly.ts';
import { guestMachine } from './guest.ts';
import type { EngineParts } from './ports.ts';

/**
 * The engine parts of this build: the disassembly from src/main/core/disasm, the analysis from
 * src/main/core/analysis, and the machine in a worker thread: minisol's workloads boot
 * MinisolSystem (src/main/core/minisol) there; `linux-program` runs the image as a Linux user
 * program in the machine worker (src/main/node/machine-worker).
 */
export function engineParts(): EngineParts {
  return {
    analysis: programAnalysis,
    disassembly: objdumpDisassembly,
    machine: guestMachine,
  };
}
