// Structural analysis of SPARC code: functions, CFGs, the call graph, interprocedural register
// liveness and loops, over an ELF image or the live memory of a running machine.
export {
  analyzeProgram, analyzeProgramAsync, ProgramAnalysis,
  type AnalyzeOptions, type AnalysisPhase, type AnalysisProgress, type AnalysisStats, type AnalyzedFunction,
  type CallGraphEdgeInfo, type CallKind, type CallSite, type CancelToken, type FreeSet, type LiveSet, type When,
} from './program.ts';
export { elfCodeSource, memoryCodeSource, wordsCodeSource, type CodeRegion, type CodeSource, type SourceSymbol, type WordMemory } from './source.ts';
export {
  linuxUserPolicy, kernelPolicy, minisolPolicy, strictPolicy, withReserved, POLICIES, ABI_EXIT_LIVE, DEFAULT_NORETURN, OPAQUE_TRAP,
  type RegisterPolicy, type TrapSummary,
} from './policy.ts';
export { AnalysisError, AnalysisErrorCode } from './errors.ts';
export { REGISTER_NAMES, FLAG_ICC, FLAG_Y, maskOf, namesOf, registerIndex } from './regs.ts';
export { EDGE_KINDS, WORD_CLASSES, type EdgeKind } from './cfg.ts';
export type { Dominators, Loop, LoopInfo } from './loops.ts';
export type { FunctionSource } from './explore.ts';
export { toModel, type AnalysisModel, type ModelOptions, type ModelFunction, type ModelBlock, type ModelEdge, type ModelInstruction } from './model.ts';
export { functionDot } from './dot.ts';
export { analysisFunctionIds, contractCallGraph, contractFunctionDetail } from './contract.ts';
