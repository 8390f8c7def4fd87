// The Session's record of enabled metrics, their recent samples and trace records, so a view opened later can draw the past.
import { keepLast, type MetricInfo, type MetricSample, type MetricStream, type TraceBatch, type TraceRecord } from '../../../shared/index.ts';

/** Samples kept per metric: ten virtual seconds at 100 samples a second. */
export const HISTORY_SAMPLES = 1000;
/** Trace records kept per trace metric. */
export const HISTORY_RECORDS = 500;

interface Kept {
  readonly info: MetricInfo;
  readonly samples: MetricSample[];
  readonly records: TraceRecord[];
  dropped: number;
}

export class MetricHistory {
  private readonly streams = new Map<number, Kept>();
  private readonly keep: number;
  private readonly keepRecords: number;

  constructor(keep = HISTORY_SAMPLES, keepRecords = HISTORY_RECORDS) {
    this.keep = keep;
    this.keepRecords = keepRecords;
  }

  add(info: MetricInfo): void {
    if (!this.streams.has(info.id)) this.streams.set(info.id, { info, samples: [], records: [], dropped: 0 });
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
      if (st !== undefined) keepLast(st.samples, [s], this.keep);
    }
  }

  appendTraces(batches: readonly TraceBatch[]): void {
    for (const b of batches) {
      const st = this.streams.get(b.id);
      if (st === undefined) continue;
      keepLast(st.records, b.records, this.keepRecords);
      st.dropped += b.dropped;
    }
  }

  stream(id: number): MetricStream | null {
    const st = this.streams.get(id);
    return st === undefined ? null : { info: st.info, samples: st.samples.slice(-this.keep), records: st.records.slice(-this.keepRecords), dropped: st.dropped };
  }
}
