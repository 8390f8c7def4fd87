// A scripted machine port: it reports what the test tells it to, so the Session's plumbing and the views are
// checked without the emulator (contract tests, component tests).
import { SpringboardError, type InstrumentationState, type MetricInfo, type MetricSample, type TraceBatch, type WorkloadInfo } from '../../src/shared/index.ts';
import type { InstrumentPort, MachinePort, RawMachineStatus } from '../../src/main/node/session/index.ts';

/**
 * A scripted machine for contract tests: it reports what the test tells it to, so the Session's
 * plumbing (events, names for pcs, rates) is checked without the emulator.
 */
export class ScriptedMachine implements MachinePort {
  readonly workloads: readonly WorkloadInfo[] = [
    { name: 'readers', description: 'readers', knobs: [{ name: 'threads', label: 'Threads', kind: 'integer', default: 4, min: 1, max: 16, description: 'reader threads' }] },
  ];
  private current: RawMachineStatus = { state: 'ready', reason: null, cpus: [], instructions: 0, virtualTimeNs: 0, workload: null, panic: null };
  private statusListeners = new Set<(s: RawMachineStatus) => void>();
  private consoleListeners = new Set<(t: string) => void>();
  pcs: number[] = [];
  async boot(_image: unknown, request: { workload: RawMachineStatus['workload']; cpus: number }): Promise<void> {
    this.current = { ...this.current, state: 'paused', workload: request.workload, cpus: Array.from({ length: request.cpus }, (_, id) => ({ id, pc: this.pcs[id] ?? 0, state: 'running' as const })) };
    for (const l of this.consoleListeners) l('minisol booting\n');
  }
  async run(): Promise<void> {
    this.current = { ...this.current, state: 'running', instructions: this.current.instructions + 1000, virtualTimeNs: this.current.virtualTimeNs + 1000 };
    for (const l of this.statusListeners) l(this.current);
  }
  async pause(): Promise<void> {
    this.current = { ...this.current, state: 'paused' };
  }
  status(): RawMachineStatus {
    return this.current;
  }
  onStatus(l: (s: RawMachineStatus) => void) {
    this.statusListeners.add(l);
    return () => void this.statusListeners.delete(l);
  }
  onConsole(l: (t: string) => void) {
    this.consoleListeners.add(l);
    return () => void this.consoleListeners.delete(l);
  }
  async dispose(): Promise<void> {}

  /** Enabled metrics; `code: "nosuch"` is refused as a real kernel would refuse an unknown function. */
  metrics: MetricInfo[] = [];
  private lastMetricId = 0;
  private sampleListeners = new Set<Parameters<InstrumentPort['onSamples']>[0]>();
  private instrumentState = (): InstrumentationState => ({ available: { available: true }, intervalNs: 10_000_000, metrics: this.metrics, splices: this.metrics.reduce((n, m) => n + m.points, 0), retiredPatches: 0 });
  readonly instrument: InstrumentPort = {
    state: async () => this.instrumentState(),
    enable: async (r) => {
      if (r.focus.code === 'nosuch') throw new SpringboardError('bad-request', 'no analysed function "nosuch"');
      const info: MetricInfo = {
        id: ++this.lastMetricId, metric: r.metric, focus: r.focus, key: `${r.metric}/Code/m/${r.focus.code}`, unit: 'calls', rateUnit: 'per-second',
        functions: 1, points: 1, skipped: [], enabledAtNs: this.current.virtualTimeNs, installMs: 1,
        ...(r.predicate !== undefined ? { predicate: r.predicate } : {}),
        kstat: null,
      };
      this.metrics.push(info);
      return info;
    },
    disable: async (id) => {
      if (!this.metrics.some((m) => m.id === id)) throw new SpringboardError('bad-request', `no enabled metric ${id}`);
      this.metrics = this.metrics.filter((m) => m.id !== id);
      return this.instrumentState();
    },
    log: async (since) => {
      const all = this.metrics.map((m) => ({ timeNs: m.enabledAtNs, op: 'install' as const, site: 0x1000 + m.id, detail: `installed ${m.key}` }));
      return { total: all.length, from: Math.min(since, all.length), entries: all.slice(since) };
    },
    onSamples: (l) => {
      this.sampleListeners.add(l);
      return () => void this.sampleListeners.delete(l);
    },
  };

  /** Streams samples as the machine's worker would. */
  sample(samples: readonly MetricSample[], traces: readonly TraceBatch[] = []): void {
    for (const l of this.sampleListeners) l(samples, traces, null);
  }
}
