// Splicing: instrumentation points, snippet code generation, relocation, verification, patch
// memory, springboards, splice transactions and quiescent reclamation (after KernInst's kerninstd).
export { SpliceError, type SpliceErrorCode } from './errors.ts';
export { PointFinder, freeRegisters, type Placement, type Point, type SafetyPolicy } from './points.ts';
export { SKEW_CYCLES, SnippetCompiler, THREAD_SLOTS, type DataLayout, type DataPlace, type DataResolver, type GeneratedSnippet, type PidModel, type PointContext, type RetvalSource, type TargetModel } from './codegen.ts';
export { buildPatch, type BuiltPatch, type PlacedSnippet } from './relocate.ts';
export { verifyPatch, type VerifyRejection } from './verify.ts';
export { DataArea, RegionHeap, type DataItem, type DataKind } from './heap.ts';
export { MachineWalker, combineWalkers, type CodeReference, type ThreadWalker } from './quiesce.ts';
export { Splicer, SpliceBatch, type BreakpointHost, type GuestMemory, type SpliceHandle, type SpliceLogEntry, type SplicerOptions, type SpringboardSpace } from './splicer.ts';
export { CodeBuffer, COND, baAnnul } from './emit.ts';
