// The workbench store: what the daemon or the Electron main process told us, and the user's selections.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import {
  ambiguousNames, encodeBase64, functionLabel, keepLast, SpringboardError, type CallGraph, type ConnectionState, type EnableMetricRequest, type FunctionDetail,
  type FunctionSummary, type Hello, type ImageSummary, type InstrumentationState, type LogEntry, type MachineStatus, type MetricInfo, type MetricSample,
  type Progress, type SpliceLogLine, type TraceBatch, type TraceRecord, type ViewName, type WorkloadConfig,
} from '../../../shared/index.ts';
import type { WorkbenchClient } from '../client.ts';
import type { Theme } from '../graph/style.ts';

export const VIEWS: readonly { readonly name: ViewName; readonly label: string }[] = [
  { name: 'machine', label: 'Machine' },
  { name: 'code', label: 'Code' },
  { name: 'callgraph', label: 'Call graph' },
  { name: 'function', label: 'Function' },
  { name: 'metrics', label: 'Metrics' },
];

/** Samples the views keep per metric (ten virtual seconds at the Session's 100 samples a second), and trace records. */
export const METRIC_HISTORY = 1000;
export const TRACE_HISTORY = 500;

function messageOf(error: unknown): string {
  return error instanceof SpringboardError ? error.message : error instanceof Error ? error.message : String(error);
}

export const useWorkbench = defineStore('workbench', () => {
  const client = shallowRef<WorkbenchClient | null>(null);
  const connection = ref<ConnectionState>('connecting');
  const hello = shallowRef<Hello | null>(null);
  const image = shallowRef<ImageSummary | null>(null);
  const functions = shallowRef<readonly FunctionSummary[]>([]);
  const status = shallowRef<MachineStatus | null>(null);
  const consoleText = ref('');
  const view = ref<ViewName>('machine');
  const selected = ref<string | null>(null);
  const detail = shallowRef<FunctionDetail | null>(null);
  const detailError = ref<string | null>(null);
  const callGraph = shallowRef<CallGraph | null>(null);
  const callGraphError = ref<string | null>(null);
  const error = ref<string | null>(null);
  const busy = ref<string | null>(null);
  const progress = shallowRef<Progress | null>(null);
  const logs = shallowRef<readonly LogEntry[]>([]);
  const theme = ref<Theme>('light');
  const instrumentation = shallowRef<InstrumentationState | null>(null);
  /** Recent samples by metric id; `samplesVersion` changes with every batch (the arrays are not reactive). */
  const samples = new Map<number, MetricSample[]>();
  const samplesVersion = ref(0);
  /** Recent trace records by trace metric id, and how many the rings dropped (versioned with the samples). */
  const traces = new Map<number, { records: TraceRecord[]; dropped: number }>();
  /** The newest splice operations (install, remove, springboard, reclaim), oldest first. */
  const spliceLog = shallowRef<readonly SpliceLogLine[]>([]);
  let spliceLogTotal = 0;
  /** Cytoscape without a canvas (component tests run in a DOM without one). */
  const headlessGraphs = ref(false);

  const capabilities = computed(() => hello.value?.capabilities ?? null);
  const functionsById = computed(() => new Map(functions.value.map((f) => [f.id, f])));
  /** Names that several functions share (static functions of different files). */
  const ambiguous = computed(() => ambiguousNames(functions.value));
  /** What to show for a function id: its name, with the module where the name is ambiguous. */
  const labelOf = (id: string): string => {
    const f = functionsById.value.get(id);
    return f === undefined ? id : functionLabel(f, ambiguous.value);
  };

  async function guarded<T>(label: string, run: () => Promise<T>): Promise<T | undefined> {
    busy.value = label;
    error.value = null;
    try {
      return await run();
    } catch (e) {
      error.value = messageOf(e);
      return undefined;
    } finally {
      if (busy.value === label) busy.value = null;
    }
  }

  async function refresh(): Promise<void> {
    const c = client.value;
    if (!c) return;
    try {
      hello.value = await c.call('session.hello', {});
      image.value = hello.value.image;
      status.value = await c.call('machine.status', {});
      if (image.value) await loadImageData();
      await loadInstrumentation();
      error.value = null;
    } catch (e) {
      error.value = messageOf(e);
    }
  }

  async function loadImageData(): Promise<void> {
    const c = client.value!;
    functions.value = await c.call('code.functions', {});
    callGraph.value = null;
    callGraphError.value = null;
    // Fetched now, not on the first visit to the Call graph view: the Session is already laying
    // it out, and the view then only has to draw it.
    if (hello.value?.capabilities.analysis.available) void loadCallGraph();
    consoleText.value = (await c.call('machine.console', {})).text;
    if (selected.value && !functionsById.value.has(selected.value)) {
      selected.value = null;
      detail.value = null;
    } else if (selected.value) await loadDetail(selected.value);
  }

  /** The enabled metrics and their recent history (after a reconnect, or when another client enabled them). */
  async function loadInstrumentation(): Promise<void> {
    const c = client.value!;
    const state = await c.call('instrument.state', {});
    acceptInstrumentation(state);
    for (const m of state.metrics) {
      const stream = await c.call('instrument.stream', { id: m.id }).catch(() => null);
      if (stream !== null) {
        samples.set(m.id, [...stream.samples]);
        if (m.metric === 'trace') traces.set(m.id, { records: [...stream.records], dropped: stream.dropped });
      }
    }
    samplesVersion.value++;
  }

  /** Fetches splice log entries logged since the last fetch (a new machine starts the log again). */
  let spliceLogLoad: Promise<void> | null = null;
  let spliceLogAgain = false;
  /** One fetch at a time (a change arrives as a reply and as an event): a request during one runs after it. */
  function loadSpliceLog(): Promise<void> {
    if (spliceLogLoad !== null) {
      spliceLogAgain = true;
      return spliceLogLoad;
    }
    spliceLogLoad = fetchSpliceLog().finally(() => {
      spliceLogLoad = null;
      if (spliceLogAgain) {
        spliceLogAgain = false;
        void loadSpliceLog();
      }
    });
    return spliceLogLoad;
  }

  async function fetchSpliceLog(): Promise<void> {
    const c = client.value;
    if (!c) return;
    let log = await c.call('instrument.log', { since: spliceLogTotal });
    if (log.total < spliceLogTotal) {
      // A new machine: its log starts again.
      spliceLog.value = [];
      log = await c.call('instrument.log', { since: 0 });
    }
    spliceLogTotal = log.from + log.entries.length;
    if (log.entries.length > 0) spliceLog.value = [...spliceLog.value, ...log.entries].slice(-500);
  }

  function acceptInstrumentation(state: InstrumentationState): void {
    instrumentation.value = state;
    void loadSpliceLog().catch(() => undefined);
    const ids = new Set(state.metrics.map((m) => m.id));
    for (const id of [...samples.keys()]) if (!ids.has(id)) samples.delete(id);
    for (const id of [...traces.keys()]) if (!ids.has(id)) traces.delete(id);
    for (const id of ids) if (!samples.has(id)) samples.set(id, []);
    samplesVersion.value++;
  }

  function acceptSamples(batch: readonly MetricSample[]): void {
    for (const x of batch) {
      const list = samples.get(x.id);
      if (list === undefined) continue;
      keepLast(list, [x], METRIC_HISTORY);
    }
    samplesVersion.value++;
  }

  function acceptTraces(batches: readonly TraceBatch[]): void {
    for (const b of batches) {
      if (!samples.has(b.id)) continue; // a metric removed since
      let t = traces.get(b.id);
      if (t === undefined) traces.set(b.id, (t = { records: [], dropped: 0 }));
      keepLast(t.records, b.records, TRACE_HISTORY);
      t.dropped += b.dropped;
    }
    samplesVersion.value++;
  }

  function attach(c: WorkbenchClient): void {
    client.value = c;
    connection.value = c.state;
    c.onState((s) => {
      const was = connection.value;
      connection.value = s;
      if (s === 'open' && was !== 'open') void refresh();
    });
    c.on('machine.status', (s) => (status.value = s));
    c.on('machine.console', ({ text }) => (consoleText.value = (consoleText.value + text).slice(-200_000)));
    c.on('image.changed', (summary) => {
      image.value = summary;
      if (hello.value) hello.value = { ...hello.value, image: summary };
      void loadImageData().catch((e: unknown) => (error.value = messageOf(e)));
    });
    c.on('progress', (p) => (progress.value = p.done >= p.total ? null : p));
    c.on('log', (entry) => (logs.value = [...logs.value.slice(-199), entry]));
    c.on('workbench.show', ({ view: v }) => (view.value = v));
    c.on('instrument.changed', acceptInstrumentation);
    c.on('instrument.samples', acceptSamples);
    c.on('instrument.trace', acceptTraces);
    void refresh();
  }

  const openDefault = () => guarded('opening the kernel image', async () => { image.value = await client.value!.call('image.openDefault', {}); });

  const openFile = (file: File) =>
    guarded(`opening ${file.name}`, async () => {
      const bytes = new Uint8Array(await file.arrayBuffer());
      image.value = await client.value!.call('image.open', { name: file.name, base64: encodeBase64(bytes) });
    });

  const boot = (workload: WorkloadConfig, cpus: number) =>
    guarded('booting', async () => {
      status.value = await client.value!.call('machine.boot', { workload, cpus });
      // A new machine starts a new splice log.
      spliceLog.value = [];
      spliceLogTotal = 0;
    });
  const run = () => guarded('running', async () => { status.value = await client.value!.call('machine.run', {}); });
  const pause = () => guarded('pausing', async () => { status.value = await client.value!.call('machine.pause', {}); });

  /** Splices a metric into the running kernel; resolves to its info, or undefined (the error banner says why). */
  const enableMetric = (request: EnableMetricRequest): Promise<MetricInfo | undefined> =>
    guarded('installing the metric', async () => {
      const info = await client.value!.call('instrument.enable', request);
      if (!samples.has(info.id)) samples.set(info.id, []);
      return info;
    });
  const disableMetric = (id: number) =>
    guarded('removing the metric', async () => acceptInstrumentation(await client.value!.call('instrument.disable', { id })));

  async function loadDetail(id: string): Promise<void> {
    detailError.value = null;
    try {
      const d = await client.value!.call('analysis.function', { id });
      if (selected.value === id) detail.value = d;
    } catch (e) {
      if (selected.value === id) {
        detail.value = null;
        detailError.value = messageOf(e);
      }
    }
  }

  /** Opens a function by id (FunctionSummary.id). */
  async function openFunction(id: string): Promise<void> {
    selected.value = id;
    detail.value = null;
    view.value = 'function';
    await loadDetail(id);
  }

  /** The call graph request in flight, and which image it is for (a newer image drops its answer). */
  let callGraphLoad: { image: ImageSummary; done: Promise<void> } | null = null;

  function loadCallGraph(): Promise<void> {
    const c = client.value;
    const forImage = image.value;
    if (callGraph.value || !c || !forImage) return Promise.resolve();
    if (callGraphLoad?.image === forImage) return callGraphLoad.done;
    callGraphError.value = null;
    const done = c.call('analysis.callGraph', {}).then(
      (g) => { if (image.value === forImage) callGraph.value = g; },
      (e: unknown) => { if (image.value === forImage) callGraphError.value = messageOf(e); },
    ).finally(() => { if (callGraphLoad?.done === done) callGraphLoad = null; });
    callGraphLoad = { image: forImage, done };
    return done;
  }

  function setTheme(t: Theme): void {
    theme.value = t;
    document.documentElement.dataset.theme = t;
    try {
      localStorage.setItem('springboard.theme', t);
    } catch {
      // Storage may be off; the theme then lasts for this page only.
    }
  }

  function initTheme(): void {
    let saved: string | null = null;
    try {
      saved = localStorage.getItem('springboard.theme');
    } catch {
      saved = null;
    }
    const prefersDark = typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
    setTheme(saved === 'dark' || saved === 'light' ? saved : prefersDark ? 'dark' : 'light');
  }

  return {
    client, connection, hello, image, functions, status, consoleText, view, selected, detail, detailError,
    callGraph, callGraphError, error, busy, progress, logs, theme, headlessGraphs, capabilities, functionsById, ambiguous, labelOf,
    instrumentation, samples, samplesVersion, traces, spliceLog,
    attach, refresh, openDefault, openFile, boot, run, pause, openFunction, loadCallGraph, setTheme, initTheme, enableMetric, disableMetric,
  };
});
