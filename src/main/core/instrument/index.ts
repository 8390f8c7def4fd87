// Metrics on splices (counters, virtual and wall timers, concurrency, coverage) and the sampler.
export { Instrumenter, InstrumentError, METRICS, focusKey, type ContextSwitchHook, type Focus, type MetricInstance, type MetricName, type Predicate, type TraceRecord } from './metrics.ts';
export { Sampler, type MetricSample, type SampleStream } from './sampler.ts';
export { KernelMemoryWalker, minisolSplicer, MINISOL_DATA_BASE, MINISOL_FAR_PATCH_HEAP, MINISOL_HOT_WINDOW, MINISOL_PATCH_HEAP, MINISOL_UNSAFE_MODULE, MODLINKAGE_INSTALLED_OFFSET, type MinisolSplicing, type ThreadLayout } from './minisol.ts';
