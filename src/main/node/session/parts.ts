// Which engine parts this build wires into a Session; a missing part is a sentence the UI shows.
import { objdumpDisassembly } from './disassembly.ts';
import type { EngineParts } from './ports.ts';

/**
 * The engine parts of this build. The disassembly comes from src/main/core/disasm. The analysis
 * (src/main/core/analysis) and the machine worker (src/main/node/machine-worker) are wired here
 * through adapters (ports.ts) as they land; until then the Session reports them as not available.
 */
export function engineParts(): EngineParts {
  return {
    analysis: 'the analysis (functions, CFGs, call graph, liveness) is not available in this build yet',
    disassembly: objdumpDisassembly,
    machine: 'the SPARC machine emulator is not available in this build yet',
  };
}
