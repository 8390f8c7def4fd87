// Each workload makes progress, keeps its data intact, and leaves a disk that fsck finds clean after a clean shutdown.
import { describe, expect, it } from 'vitest';
import { mirrorFileByte, mirrorFileSize, readFileFromImage, type MinisolSystem } from '../../src/main/core/minisol/index.ts';
import { bootAndRun, shutdownAndCheck } from './support.ts';

function totals(sys: MinisolSystem): Record<string, number> {
  return sys.kstats().totals;
}

describe('workloads', () => {
  it('proxy serves hits and misses and keeps its cache files intact', () => {
    const sys = bootAndRun({ workloads: ['proxy'], proxy: { urls: 128 } }, 0.4);
    const k = totals(sys);
    expect(k.proxy_requests).toBeGreaterThan(5);
    expect(k.proxy_hits).toBeGreaterThan(0);
    expect(k.proxy_misses).toBeGreaterThan(0);
    expect(k.proxy_bad).toBe(0);
    expect(k.ufs_itrunc).toBeGreaterThan(0);
    expect(shutdownAndCheck(sys)).toEqual([]);
  });

  it('mirror moves files over 10 TCP connections through the cold paths, bytes intact', () => {
    const sys = bootAndRun({
      cpus: 2, seed: 4, workloads: ['mirror'],
      mirror: { filesPerConn: 2, lossPct: 5, reorderPct: 5, urgentPct: 8, dupAckPct: 10, rstPct: 15, optionsPct: 10, windowPct: 10 },
    }, 0.7);
    const k = totals(sys);
    expect(k.mirror_files).toBeGreaterThan(10);
    expect(k.mirror_bad_bytes).toBe(0);
    expect(k.mirror_connects).toBeGreaterThanOrEqual(10);
    for (const path of ['hmeintr', 'ip_rput', 'ip_csum_hdr', 'tcp_lookup', 'tcp_rput_data', 'tcp_wput', 'tcp_in_order', 'tcp_ooo',
      'tcp_reass_merged', 'tcp_dupacks', 'tcp_urgent', 'tcp_options', 'tcp_rst_rcvd', 'icmp_in', 'tcp_established']) {
      expect(k[path], path).toBeGreaterThan(0);
    }
    expect(sys.peer.stats.badChecksums).toBe(0);
    expect(shutdownAndCheck(sys)).toEqual([]);
    // what landed on disk is what the servers sent
    let checked = 0;
    for (let s = 0; s < 10; s++) {
      for (let name = 0; name < 32; name++) {
        const data = readFileFromImage(sys.disk.image, `/mirror/s${s}/f${name}`);
        if (data === null) continue;
        // file number name + 32j; a transfer cut by a reset leaves a prefix of it
        const matches = (f: number): boolean => {
          if (mirrorFileSize(s, f) < data.length) return false;
          for (let i = 0; i < data.length; i += 97) if (data[i] !== mirrorFileByte(s, f, i)) return false;
          return data.length === 0 || data[data.length - 1] === mirrorFileByte(s, f, data.length - 1);
        };
        const file = Array.from({ length: 16 }, (_, j) => name + 32 * j).find(matches);
        expect(file, `/mirror/s${s}/f${name} (${data.length} bytes)`).toBeDefined();
        if (mirrorFileSize(s, file!) === data.length) checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('readers read their files correctly, sequentially and at random', () => {
    const sys = bootAndRun({ workloads: ['readers'], readers: { procs: 4, random: 2 } }, 0.5);
    const k = totals(sys);
    expect(k.readers_reads).toBeGreaterThan(10);
    expect(k.readers_bad_bytes).toBe(0);
    const procs = sys.kstats().procs.filter((p) => /^[sr]read\d$/.test(p.name));
    expect(procs.map((p) => p.name).sort()).toEqual(['rread0', 'rread1', 'sread2', 'sread3']);
    for (const p of procs) expect(p.counters.read_calls, p.name).toBeGreaterThan(0);
    expect(shutdownAndCheck(sys)).toEqual([]);
  });

  it('readers: readahead for random readers costs them read latency (what a per-process policy fixes)', () => {
    const latency = (raRand: number): number => {
      const sys = bootAndRun({ seed: 2, workloads: ['readers'], readers: { procs: 4, random: 2, raSeq: 0, raRand, fileSize: 1 << 20 } }, 1.5);
      const random = sys.kstats().procs.filter((p) => p.name.startsWith('rread'));
      const calls = random.reduce((n, p) => n + p.counters.read_calls!, 0);
      expect(calls).toBeGreaterThan(5);
      return random.reduce((n, p) => n + p.counters.read_cycles!, 0) / calls;
    };
    expect(latency(8)).toBeGreaterThan(1.3 * latency(0));
  });

  it('mixed churns processes, preempts, contends and swaps', () => {
    const sys = bootAndRun({ cpus: 2, workloads: ['mixed'] }, 0.5);
    const k = totals(sys);
    expect(k.mixed_forks).toBeGreaterThan(2);
    expect(k.cfork).toBeGreaterThan(5);
    expect(k.exit).toBeGreaterThan(2);
    expect(k.preempt).toBeGreaterThan(10);
    expect(k.mixed_lock_ops).toBeGreaterThan(0);
    expect(k.hat_chgprot).toBeGreaterThan(0);
    expect(k.hat_swapout).toBeGreaterThan(0);
    expect(k.hat_swapin).toBeGreaterThan(0);
    expect(k.as_dup).toBeGreaterThan(0);
    // preemptions per process: the spinners take most of them
    const spin = sys.kstats().procs.filter((p) => p.name.startsWith('spin'));
    expect(spin.reduce((n, p) => n + p.counters.preempt!, 0)).toBeGreaterThan(5);
    expect(shutdownAndCheck(sys)).toEqual([]);
  });

  it('runs all four together on 4 CPUs and leaves a clean disk', () => {
    const sys = bootAndRun({ cpus: 4, seed: 11, workloads: ['proxy', 'mirror', 'readers', 'mixed'], proxy: { urls: 128 } }, 0.4);
    const k = totals(sys);
    expect(k.proxy_requests).toBeGreaterThan(0);
    expect(k.readers_reads).toBeGreaterThan(0);
    expect(k.mixed_iters).toBeGreaterThan(0);
    expect(k.proxy_bad + k.mirror_bad_bytes + k.readers_bad_bytes).toBe(0);
    expect(sys.kstats().perCpu.length).toBe(4);
    expect(shutdownAndCheck(sys)).toEqual([]);
  });
});
