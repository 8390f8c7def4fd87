// The sampler: reads the metrics' per-CPU data at fixed intervals of virtual time and produces one
// stream per metric × focus (value, and its rate over the interval; concurrency is averaged).
import type { Instrumenter, MetricInstance } from './metrics.ts';

export interface MetricSample {
  /** Virtual time of the sample (machine cycles). */
  readonly time: number;
  /** The metric instance (MetricInstance.id) and its key. */
  readonly id: number;
  readonly key: string;
  /** Cumulative value (calls, cycles, blocks) or, for concurrency, the in-flight count now. */
  readonly value: number;
  /** Per interval: events (calls, blocks, failures, records) per 1,000 cycles, fraction of time in the code (timers), mean in-flight (concurrency). */
  readonly rate: number;
}

export interface SampleStream {
  readonly id: number;
  readonly key: string;
  readonly samples: MetricSample[];
}

export class Sampler {
  private readonly instrumenter: Instrumenter;
  readonly interval: number;
  /** Streams by metric instance id (keys may repeat: `f` and `f@module` name one function). */
  readonly streams = new Map<number, SampleStream>();
  private last = new Map<number, { time: number; value: number; area: number; count: number }>();
  private next: number;

  private readonly keep: number;

  /**
   * `interval`: cycles between samples; `start`: virtual time of the first sample; `keep`: samples
   * kept per stream (the oldest are dropped; a long-running session keeps a bounded history).
   */
  constructor(instrumenter: Instrumenter, interval: number, start: number, keep = Infinity) {
    this.instrumenter = instrumenter;
    this.interval = interval;
    this.next = start;
    this.keep = keep;
  }

  /**
   * Starts a metric's stream at virtual time `now` (call right after enabling it), so that its first
   * sample's rate covers the time since then rather than being zero.
   */
  begin(m: MetricInstance, now: number): void {
    this.last.set(m.id, { time: now, value: m.metric === 'concurrency' ? 0 : this.instrumenter.value(m), area: 0, count: 0 });
    this.streams.delete(m.id);
  }

  /** Forgets a disabled metric's stream. */
  end(m: MetricInstance): void {
    this.last.delete(m.id);
    this.streams.delete(m.id);
  }

  /** When the next sample is due (virtual time). */
  get due(): number {
    return this.next;
  }

  /** Takes a sample of every active metric at virtual time `now` (call at or after `due`). */
  sample(now: number): MetricSample[] {
    const out: MetricSample[] = [];
    for (const m of this.instrumenter.active) out.push(this.one(m, now));
    // A fixed grid: the machine stops a little after `due` (it runs in quanta), so drift is not accumulated.
    this.next += this.interval;
    if (this.next <= now) this.next = now + this.interval;
    return out;
  }

  private one(m: MetricInstance, now: number): MetricSample {
    const v = this.instrumenter.value(m);
    const prev = this.last.get(m.id) ?? { time: now, value: m.metric === 'concurrency' ? 0 : v, area: 0, count: 0 };
    const dt = now - prev.time;
    let rate: number;
    if (m.metric === 'concurrency') {
      // Mean in-flight count: the average of the instantaneous values seen so far in this stream.
      const count = prev.count + 1;
      const area = prev.area + v;
      rate = area / count;
      this.last.set(m.id, { time: now, value: v, area, count });
    } else {
      const dv = v - prev.value;
      rate = dt <= 0 ? 0 : m.metric === 'vtime' || m.metric === 'wtime' ? dv / dt : (1000 * dv) / dt;
      this.last.set(m.id, { time: now, value: v, area: 0, count: 0 });
    }
    const s: MetricSample = { time: now, id: m.id, key: m.key, value: v, rate };
    let st = this.streams.get(m.id);
    if (st === undefined) this.streams.set(m.id, (st = { id: m.id, key: m.key, samples: [] }));
    st.samples.push(s);
    if (st.samples.length > this.keep) st.samples.splice(0, st.samples.length - this.keep);
    return s;
  }
}
