// How the Metrics view writes values and rates, and draws a stream as an SVG polyline.
import type { MetricInfo, MetricKind, MetricSample } from '../../../shared/index.ts';

export const METRIC_LABELS: Record<MetricKind, string> = {
  calls: 'calls — entries per second',
  vtime: 'virtual time — in the code, excluding time switched out',
  wtime: 'wall time — in the code, including time switched out',
  concurrency: 'concurrency — threads inside at once',
  coverage: 'coverage — basic blocks reached (each splice removes itself once hit)',
  assertions: 'assertions — entries whose argument breaks the predicate (recorded, the kernel runs on)',
  trace: 'trace — every entry with its CPU, pid and first four arguments, in per-CPU rings',
};

function compact(n: number, digits = 1): string {
  const a = Math.abs(n);
  if (a >= 1e9) return `${(n / 1e9).toFixed(digits)} G`;
  if (a >= 1e6) return `${(n / 1e6).toFixed(digits)} M`;
  if (a >= 1e4) return `${(n / 1e3).toFixed(digits)} k`;
  return Number.isInteger(n) ? `${n}` : n.toFixed(digits);
}

export function duration(ns: number): string {
  const a = Math.abs(ns);
  if (a >= 1e9) return `${(ns / 1e9).toFixed(3)} s`;
  if (a >= 1e6) return `${(ns / 1e6).toFixed(3)} ms`;
  if (a >= 1e3) return `${(ns / 1e3).toFixed(1)} µs`;
  return `${Math.round(ns)} ns`;
}

/** A sample's value in the metric's unit. */
export function formatValue(info: Pick<MetricInfo, 'unit'>, value: number): string {
  switch (info.unit) {
    case 'ns':
      return duration(value);
    case 'threads':
      return `${value} inside`;
    case 'calls':
      return `${compact(value)} calls`;
    case 'blocks':
      return `${value} blocks`;
    case 'failures':
      return `${compact(value)} failures`;
    case 'records':
      return `${compact(value)} records`;
  }
}

/** A sample's rate in the metric's rate unit. */
export function formatRate(info: Pick<MetricInfo, 'rateUnit' | 'unit'>, rate: number): string {
  switch (info.rateUnit) {
    case 'per-second':
      return `${compact(rate)} ${info.unit === 'ns' || info.unit === 'threads' ? 'calls' : info.unit}/s`;
    case 'cpu-fraction':
      return `${(100 * rate).toFixed(2)} % of a CPU`;
    case 'mean-threads':
      return `${rate.toFixed(2)} threads (mean)`;
  }
}

/** The polyline points of the rates of `samples` in a `width` × `height` box (newest at the right), and the scale's top. */
export function sparkline(samples: readonly MetricSample[], width: number, height: number, keep = samples.length): { points: string; max: number } {
  const shown = samples.slice(-keep);
  const max = Math.max(0, ...shown.map((s) => s.rate));
  if (shown.length === 0) return { points: '', max };
  const top = max > 0 ? max : 1;
  const step = keep > 1 ? width / (keep - 1) : 0;
  const x0 = width - step * (shown.length - 1);
  const pts = shown.map((s, k) => `${(x0 + k * step).toFixed(1)},${(height - (Math.max(0, s.rate) / top) * (height - 1) - 0.5).toFixed(1)}`);
  return { points: pts.join(' '), max };
}
