// The Session module: one image, its analysis and one machine behind the contract.
export { Session, functionsOf, summarise, type SessionOptions } from './session.ts';
export { engineParts } from './parts.ts';
export type { AnalysedImage, AnalysisPort, DisassemblyPort, EngineParts, InstrumentPort, LoadedImage, MachinePort, RawMachineStatus } from './ports.ts';
export { workerMachine, linuxProgramSupport, type GuestSupport } from './machine.ts';
export { programAnalysis } from './analysis.ts';
export { objdumpDisassembly, parseListing } from './disassembly.ts';
export { guestMachine } from './guest.ts';
export { minisolMachine, minisolConfig, MINISOL_WORKLOADS } from './minisol.ts';
export { cachedLayout, defaultLayoutCacheDir, layoutCallGraph, layoutKey } from './layout.ts';
