// The Session's record of enabled metrics and their recent samples, so a view opened later can draw the past.
import type { MetricInfo, MetricSample, MetricStream } from '../../../shared/index.ts';

/** Samples kept per metric: ten virtual seconds at 100 samples a second. */
export const HISTORY_SAMPLES = 1000;

export class MetricHistory {
  private readonly streams = new Map<number, { info: MetricInfo; samples: MetricSample[] }>();
  private readonly keep: number;

  constructor(keep = HISTORY_SAMPLES) {
    this.keep = keep;
  }

  add(info: MetricInfo): void {
    if (!this.streams.has(info.id)) this.streams.set(info.id, { info, samples: [] });
  }

  remove(id: number): void {
    this.streams.delete(id);
  }

  clear(): void {
    this.streams.clear();
  }

  append(samples: readonly MetricSample[]): void {
    for (const s of samples) {
      const st = this.streams.get(s.id);
      if (st === undefined) continue;
      st.samples.push(s);
      // Drop in chunks: one splice per 10% overflow rather than one per sample.
      if (st.samples.length > this.keep * 1.1) st.samples.splice(0, st.samples.length - this.keep);
    }
  }

  stream(id: number): MetricStream | null {
    const st = this.streams.get(id);
    return st === undefined ? null : { info: st.info, samples: st.samples.slice(-this.keep) };
  }
}
