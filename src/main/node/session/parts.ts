// Which engine parts this build wires into a Session; a missing part is a sentence the UI shows.
import { programAnalysis } from './analysis.ts';
import { objdumpDisassembly } from './disassembly.ts';
import { linuxProgramSupport, workerMachine } from './machine.ts';
import type { EngineParts } from './ports.ts';

/**
 * The engine parts of this build: the disassembly from src/main/core/disasm, the analysis from
 * src/main/core/analysis, and the machine in its worker thread (src/main/node/machine-worker).
 * The machine runs images as Linux user programs until minisol's GuestSupport (its devices and
 * workloads, src/main/core/minisol) is passed to workerMachine here instead.
 */
export function engineParts(): EngineParts {
  return {
    analysis: programAnalysis,
    disassembly: objdumpDisassembly,
    machine: workerMachine(linuxProgramSupport),
  };
}
