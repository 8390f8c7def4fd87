import { describe, expect, it } from 'vitest';
import { duration, formatRate, formatValue, sparkline } from './format.ts';

describe('metric formatting', () => {
  it('writes values and rates in the metric\'s units', () => {
    expect(formatValue({ unit: 'calls' }, 12_345)).toBe('12.3 k calls');
    expect(formatValue({ unit: 'ns' }, 2_500_000)).toBe('2.500 ms');
    expect(formatValue({ unit: 'threads' }, 3)).toBe('3 inside');
    expect(formatRate({ unit: 'calls', rateUnit: 'per-second' }, 2_469.4)).toBe('2469.4 calls/s');
    expect(formatRate({ unit: 'ns', rateUnit: 'cpu-fraction' }, 0.1165)).toBe('11.65 % of a CPU');
    expect(formatRate({ unit: 'threads', rateUnit: 'mean-threads' }, 1.5)).toBe('1.50 threads (mean)');
    expect(duration(999)).toBe('999 ns');
    expect(formatValue({ unit: 'failures' }, 3)).toBe('3 failures');
    expect(formatRate({ unit: 'records', rateUnit: 'per-second' }, 20)).toBe('20 records/s');
    expect(formatRate({ unit: 'blocks', rateUnit: 'per-second' }, 1.5)).toBe('1.5 blocks/s');
  });

  it('draws the newest sample at the right edge, scaled to the largest rate', () => {
    const s = [0, 5, 10].map((rate, k) => ({ id: 1, timeNs: k, value: k, rate }));
    const line = sparkline(s, 100, 21, 5);
    expect(line.max).toBe(10);
    const pts = line.points.split(' ').map((p) => p.split(',').map(Number));
    expect(pts).toHaveLength(3);
    expect(pts.at(-1)![0]).toBe(100);
    expect(pts.at(-1)![1]).toBeCloseTo(0.5);
    expect(pts[0]![1]).toBeCloseTo(20.5);
    expect(sparkline([], 10, 10).points).toBe('');
  });
});
