// The KernInst talk's web-proxy findings, reproduced through minisol's own kstats and virtual time:
// copen -> vn_open -> vn_create -> ufs_create -> ufs_itrunc dominates; falloc is cheap; the DNLC is too
// small for the working set (dnlc_lookup misses fall to ufs_dirlook). Each fix removes its share.
import { describe, expect, it } from 'vitest';
import { MinisolSystem, type BootConfigInput } from '../../src/main/core/minisol/index.ts';
import { image } from './support.ts';

/** Counter deltas over `seconds` after a warm-up (the talk measured a running benchmark). */
function measure(config: BootConfigInput, warmup = 1, seconds = 1.5): Record<string, number> {
  const sys = MinisolSystem.boot(image, { cpus: 1, seed: 3, workloads: ['proxy'], ncsize: 32, ...config, proxy: { urls: 128, ...config.proxy } });
  sys.runFor(warmup);
  const a = sys.kstats().totals;
  sys.runFor(seconds);
  expect(sys.state).toBe('running');
  const b = sys.kstats().totals;
  const d: Record<string, number> = {};
  for (const k of Object.keys(b)) d[k] = b[k]! - a[k]!;
  expect(d.proxy_bad).toBe(0);
  return d;
}

const share = (k: Record<string, number>, part: string, whole: string): number => k[part]! / Math.max(1, k[whole]!);
const perCall = (k: Record<string, number>, cycles: string, calls: string): number => k[cycles]! / Math.max(1, k[calls]!);

describe('the proxy benchmark (KernInst talk)', () => {
  const base = measure({});

  it('spends copen in vn_open -> vn_create -> ufs_create, mostly truncating (ufs_itrunc)', () => {
    expect(base.copen).toBeGreaterThan(40);
    expect(share(base, 'vn_open_cycles', 'copen_cycles')).toBeGreaterThan(0.95);
    expect(share(base, 'vn_create_cycles', 'vn_open_cycles')).toBeGreaterThan(0.55);
    expect(share(base, 'ufs_create_cycles', 'vn_create_cycles')).toBeGreaterThan(0.8);
    expect(share(base, 'ufs_create_trunc_cycles', 'ufs_create_cycles')).toBeGreaterThan(0.5);
    // every miss re-creates its cache file with O_TRUNC (give or take the requests in flight at the edges)
    expect(base.ufs_create_trunc).toBeGreaterThan(0);
    expect(Math.abs(base.ufs_create_trunc - base.proxy_misses)).toBeLessThanOrEqual(4);
  });

  it('finds falloc cheap despite its linear search', () => {
    expect(base.falloc).toBe(base.copen);
    expect(base.falloc_scanned).toBeGreaterThanOrEqual(base.falloc);
    expect(share(base, 'falloc_cycles', 'copen_cycles')).toBeLessThan(0.01);
  });

  it('finds the DNLC too small: dnlc_lookup misses fall through to ufs_dirlook', () => {
    expect(share(base, 'dnlc_misses', 'dnlc_lookup')).toBeGreaterThan(0.2);
    expect(share(base, 'ufs_dirlook', 'ufs_lookup')).toBeGreaterThan(0.2);
  });

  it('fix 1: overwriting and truncating only when smaller removes the truncation from open', () => {
    const fixed = measure({ proxy: { truncMode: 'overwrite' } });
    expect(fixed.ufs_create_trunc).toBe(0);
    expect(fixed.proxy_ftruncate).toBeGreaterThan(0);
    expect(fixed.proxy_ftruncate).toBeLessThan(fixed.proxy_misses);
    // the average open gets much cheaper: at least the truncation's share goes away
    const before = perCall(base, 'copen_cycles', 'copen');
    const after = perCall(fixed, 'copen_cycles', 'copen');
    expect(after).toBeLessThan(before * (1 - 0.8 * share(base, 'ufs_create_trunc_cycles', 'copen_cycles')));
    expect(fixed.proxy_requests).toBeGreaterThan(base.proxy_requests);
  });

  it('fix 2: a bigger ncsize makes name lookups hit the DNLC', () => {
    const fixed = measure({ ncsize: 2048 });
    expect(share(fixed, 'dnlc_misses', 'dnlc_lookup')).toBeLessThan(0.5 * share(base, 'dnlc_misses', 'dnlc_lookup'));
    expect(share(fixed, 'ufs_dirlook', 'ufs_lookup')).toBeLessThan(0.5 * share(base, 'ufs_dirlook', 'ufs_lookup'));
    expect(fixed.dnlc_reclaim).toBeLessThan(base.dnlc_reclaim);
  });
});
