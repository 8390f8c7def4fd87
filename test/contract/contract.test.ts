// The contract tests: the same suite against the Session directly, over the WebSocket, and over IPC.
import { describe, expect, it } from 'vitest';
import { bindIpcMain, clientFromBridge, COMMAND_NAMES, CONTRACT, createIpcBridge, EVENT_NAMES, ipcCommandChannel, type MetricSample, type TraceBatch } from '../../src/shared/index.ts';
import { Session } from '../../src/main/node/session/index.ts';
import { existsSync } from 'node:fs';
import { DEFAULT_IMAGE_PATH } from '../../src/main/node/daemon/index.ts';
import { contractSuite, expectCode, ipcPair, MISSING, transports } from './harness.ts';

for (const [label, transport] of Object.entries(transports)) contractSuite(label, transport);

describe('the contract object', () => {
  it('derives the names of commands and events from one object', () => {
    expect(COMMAND_NAMES).toEqual(Object.keys(CONTRACT.commands));
    expect(EVENT_NAMES).toEqual(Object.keys(CONTRACT.events));
    expect(new Set(COMMAND_NAMES).size).toBe(COMMAND_NAMES.length);
  });
});

describe('IPC binding', () => {
  it('registers exactly one handler per command', () => {
    const pair = ipcPair('file:///app/index.html');
    bindIpcMain(pair.main, new Session({ parts: MISSING, defaultImagePath: null }), () => [], () => true);
    expect([...pair.handlers.keys()].sort()).toEqual(COMMAND_NAMES.map(ipcCommandChannel).sort());
  });

  it('refuses calls from a frame that is not our renderer', async () => {
    const pair = ipcPair('https://evil.example/');
    const session = new Session({ parts: MISSING, defaultImagePath: null });
    bindIpcMain(pair.main, session, () => [pair.target], (e) => e.senderFrame?.url.startsWith('file:///app/') === true);
    const client = clientFromBridge(createIpcBridge(pair.renderer));
    await expectCode(client.call('session.hello', {}), 'unauthorized');
  });

  it('the bridge reaches only contract channels', async () => {
    const pair = ipcPair('file:///app/index.html');
    const bridge = createIpcBridge(pair.renderer);
    expect(await bridge.invoke('evil', {})).toMatchObject({ ok: false, error: { code: 'unknown-command' } });
    expect(() => bridge.on('evil', () => {})).toThrow(/no event/);
  });
});

describe('the disassembly port', () => {
  it('parses the objdump listing into lines with labels', async () => {
    const { parseListing } = await import('../../src/main/node/session/disassembly.ts');
    const lines = parseListing('\n00010094 <_start>:\n   10094:\t1d 00 00 49 \tsethi  %hi(0x12400), %sp\n   10098:\t9c 13 a0 a0 \tor  %sp, 0xa0, %sp\n\t...\n');
    expect(lines).toEqual([
      { address: 0x10094, word: 0x1d000049, text: 'sethi  %hi(0x12400), %sp', label: '_start' },
      { address: 0x10098, word: 0x9c13a0a0, text: 'or  %sp, 0xa0, %sp', label: null },
    ]);
  });

  it('lists exactly the function, from the real disassembler', async () => {
    const { engineParts, Session: S } = await import('../../src/main/node/session/index.ts');
    const { directClient, encodeBase64 } = await import('../../src/shared/index.ts');
    const { fixtureBytes } = await import('./harness.ts');
    const client = directClient(new S({ parts: engineParts(), defaultImagePath: null }));
    await client.call('image.open', { name: 't', base64: encodeBase64(fixtureBytes()) });
    const main = (await client.call('code.functions', {})).find((f) => f.name === 'main')!;
    const detail = await client.call('analysis.function', { id: 'main' });
    expect(detail.disassembly!.length).toBe(main.size / 4);
    expect(detail.disassembly![0]).toMatchObject({ address: main.address, label: 'main' });
    expect(detail.disassembly![0]!.text).toMatch(/^save/);
  });
});

describe('the analysis port (src/main/core/analysis)', () => {
  it('gives the call graph and a CFG with liveness for the fixture', async () => {
    const { engineParts, Session: S } = await import('../../src/main/node/session/index.ts');
    const { directClient, encodeBase64 } = await import('../../src/shared/index.ts');
    const { fixtureBytes } = await import('./harness.ts');
    const client = directClient(new S({ parts: engineParts(), defaultImagePath: null }));
    expect((await client.call('session.hello', {})).capabilities.analysis.available).toBe(true);
    await client.call('image.open', { name: 't', base64: encodeBase64(fixtureBytes()) });
    const graph = await client.call('analysis.callGraph', {});
    expect(graph.nodes.map((n) => n.id)).toContain('main');
    expect(graph.edges.some((e) => e.from === '_start' && e.to === 'main')).toBe(true);
    const main = await client.call('analysis.function', { id: 'main' });
    expect(main.cfg!.blocks.length).toBeGreaterThan(0);
    expect(main.cfg!.blocks.filter((b) => b.isEntry)).toHaveLength(1);
    expect(main.callers).toContain('_start');
    expect(main.cfg!.blocks[0]!.instructions[0]!.live).not.toBeNull();
  });

  it('refuses a relocatable object with a typed error', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { engineParts, Session: S } = await import('../../src/main/node/session/index.ts');
    const { directClient, encodeBase64 } = await import('../../src/shared/index.ts');
    const client = directClient(new S({ parts: engineParts(), defaultImagePath: null }));
    const bytes = readFileSync(join(import.meta.dirname, '../fixtures/elf/bin/sort-O0-v8.o'));
    await client.call('image.open', { name: 'sort.o', base64: encodeBase64(bytes) });
    await expectCode(client.call('analysis.callGraph', {}), 'not-available');
  });
});

describe('the machine port (the machine worker)', () => {
  it('boots the image in a worker thread, runs it, and reports how it stopped', async () => {
    const { engineParts, Session: S } = await import('../../src/main/node/session/index.ts');
    const { directClient, encodeBase64 } = await import('../../src/shared/index.ts');
    const { fixtureBytes } = await import('./harness.ts');
    const session = new S({ parts: engineParts(), defaultImagePath: null });
    const client = directClient(session);
    const hello = await client.call('session.hello', {});
    expect(hello.capabilities.machine.available).toBe(true);
    await client.call('image.open', { name: 'tiny-v8.elf', base64: encodeBase64(fixtureBytes()) });
    const booted = await client.call('machine.boot', { workload: { name: 'linux-program', knobs: {} }, cpus: 1 });
    expect(booted.state).toBe('paused');
    expect(booted.cpus[0]!.function).toBe('_start');
    const stopped = new Promise<string>((resolve) => client.on('machine.status', (s) => s.state !== 'running' && s.state !== 'paused' && resolve(s.state)));
    await client.call('machine.run', {});
    expect(['halted', 'panicked']).toContain(await stopped);
    const end = await client.call('machine.status', {});
    expect(end.instructions).toBeGreaterThan(0);
    expect(end.reason).toMatch(/exited|halted|stopped/);
    await session.dispose();
  });
});

describe('the call graph layout (worker thread)', () => {
  it('lays out every function of the graph', async () => {
    const { layoutCallGraph } = await import('../../src/main/node/session/index.ts');
    const positions = await layoutCallGraph({
      nodes: [{ id: 'a', name: 'a', module: 'm', address: 0, size: 4 }, { id: 'b', name: 'b', module: 'm', address: 4, size: 4 }, { id: 'c', name: 'c', module: 'n', address: 8, size: 4 }],
      edges: [{ from: 'a', to: 'b', sites: 1 }, { from: 'b', to: 'c', sites: 1 }],
    });
    expect(Object.keys(positions).sort()).toEqual(['a', 'b', 'c']);
    for (const p of Object.values(positions)) expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
  });

  it('the Session hands the layout out with the call graph', async () => {
    const { engineParts, layoutCallGraph, Session: S } = await import('../../src/main/node/session/index.ts');
    const { directClient, encodeBase64 } = await import('../../src/shared/index.ts');
    const { fixtureBytes } = await import('./harness.ts');
    const client = directClient(new S({ parts: engineParts(), defaultImagePath: null, layout: layoutCallGraph }));
    await client.call('image.open', { name: 't', base64: encodeBase64(fixtureBytes()) });
    const graph = await client.call('analysis.callGraph', {});
    expect(Object.keys(graph.layout ?? {}).sort()).toEqual(graph.nodes.map((n) => n.id).sort());
  });
});

/** The built minisol image (committed; `npm run build:guest` rebuilds it): the tests that boot it are skipped, visibly, without it. */
const minisolBuilt = existsSync(DEFAULT_IMAGE_PATH);

describe('the minisol machine (MinisolSystem in a worker thread)', () => {
  /** A Session with the real engine parts and the built minisol image open. */
  async function openMinisol() {
    const { engineParts, Session: S } = await import('../../src/main/node/session/index.ts');
    const { directClient } = await import('../../src/shared/index.ts');
    const session = new S({ parts: engineParts(), defaultImagePath: DEFAULT_IMAGE_PATH });
    const client = directClient(session);
    await client.call('image.openDefault', {});
    return { session, client };
  }

  it.skipIf(!minisolBuilt)('boots minisol with a workload, runs, streams status with CPU functions, pauses', async () => {
    const { session, client } = await openMinisol();
    const workloads = (await client.call('session.hello', {})).workloads.map((w) => w.name);
    expect(workloads).toEqual(expect.arrayContaining(['proxy', 'mirror', 'readers', 'mixed']));
    const booted = await client.call('machine.boot', { workload: { name: 'readers', knobs: { procs: 2 } }, cpus: 2 });
    expect(booted.state).toBe('paused');
    expect(booted.cpus).toHaveLength(2);
    const moving = new Promise<void>((resolve) => client.on('machine.status', (s) => s.state === 'running' && s.instructions > 1_000_000 && resolve()));
    await client.call('machine.run', {});
    await moving;
    const paused = await client.call('machine.pause', {});
    expect(paused.state).toBe('paused');
    expect(paused.virtualTimeNs).toBeGreaterThan(0);
    expect(paused.cpus.some((c) => c.function !== null)).toBe(true);
    expect((await client.call('machine.console', {})).text).toMatch(/minisol/);
    await expectCode(client.call('machine.boot', { workload: { name: 'readers', knobs: { procs: 999 } }, cpus: 1 }), 'machine-error');
    await session.dispose();
  });

  it.skipIf(!minisolBuilt)('splices metrics into the running kernel and streams them in virtual time', async () => {
    const { session, client } = await openMinisol();
    await client.call('machine.boot', { workload: { name: 'readers', knobs: {} }, cpus: 2 });
    const samples: MetricSample[] = [];
    client.on('instrument.samples', (batch) => samples.push(...batch));
    // Installed while the kernel has not started running, then while it runs.
    const calls = await client.call('instrument.enable', { metric: 'calls', focus: { code: 'ufs_read' } });
    expect(calls.key).toBe('calls/Code/ufs/ufs_read');
    expect(calls.points).toBe(1);
    await expectCode(client.call('instrument.enable', { metric: 'calls', focus: { code: 'no_such_function' } }), 'bad-request');
    await expectCode(client.call('instrument.enable', { metric: 'calls', focus: { code: 'ufs_read', cpu: 7 } }), 'bad-request');
    const locore = await expectCode(client.call('instrument.enable', { metric: 'calls', focus: { code: 'sys_trap' } }), 'splice-refused');
    expect(locore.message).toMatch(/no point of sys_trap can be spliced \(sys_trap runs with traps disabled/);
    await client.call('machine.run', {});
    const vtime = await client.call('instrument.enable', { metric: 'vtime', focus: { code: 'module:ufs', cpu: 1 } });
    expect(vtime.key).toBe('vtime/Code/ufs/cpu1');
    expect(vtime.functions).toBeGreaterThan(10);
    expect((await client.call('instrument.enable', { metric: 'calls', focus: { code: 'ufs_read' } })).id).toBe(calls.id);
    // Listening before the trace exists: its first records may arrive before enable's answer.
    const batches: TraceBatch[] = [];
    client.on('instrument.trace', (b) => batches.push(...b));
    const trace = await client.call('instrument.enable', { metric: 'trace', focus: { code: 'kmem_alloc' } });
    const large = await client.call('instrument.enable', { metric: 'assertions', focus: { code: 'kmem_alloc' }, predicate: { arg: 0, kind: 'leu', value: 128 } });
    expect(large.key).toBe('assertions[arg0 leu 128]/Code/genunix/kmem_alloc');
    await new Promise<void>((resolve) => {
      const stop = client.on('instrument.samples', () => {
        if (samples.filter((x) => x.id === vtime.id).length >= 20) {
          stop();
          resolve();
        }
      });
    });
    await client.call('machine.pause', {});
    const mine = samples.filter((x) => x.id === calls.id);
    expect(mine.length).toBeGreaterThanOrEqual(20);
    for (let k = 1; k < mine.length; k++) {
      // 100 samples per virtual second (the machine stops within a quantum of the due time).
      expect(Math.abs(mine[k]!.timeNs - mine[k - 1]!.timeNs - 10_000_000)).toBeLessThan(100_000);
      expect(mine[k]!.value).toBeGreaterThanOrEqual(mine[k - 1]!.value);
    }
    expect(mine.at(-1)!.value).toBeGreaterThan(0);
    // Ground truth beside the metric: the kernel's own call counter for ufs_read, sampled at the same instant.
    expect(calls.kstat).toBe('ufs_read');
    expect(vtime.kstat).toBeNull();
    // The splice counts at the entry, the kernel a few instructions later: a CPU stopped in between
    // (a sample falls between any two instructions) is one ahead, at most one per CPU.
    for (const x of mine) expect(x.value - x.kstat!).toBeGreaterThanOrEqual(0);
    for (const x of mine) expect(x.value - x.kstat!).toBeLessThanOrEqual(2);
    expect(mine.filter((x) => x.kstat === x.value).length).toBeGreaterThan(mine.length / 2);
    expect(mine.some((x) => x.rate > 0)).toBe(true);
    const v = samples.filter((x) => x.id === vtime.id);
    expect(v.at(-1)!.value).toBeGreaterThan(0);
    for (const x of v) expect(x.rate).toBeLessThanOrEqual(1.0001); // a fraction of one CPU
    // Every kmem_alloc entry was traced or counted as dropped (a ring overwritten between samples), and
    // the assertion failed for the traced requests above 128 bytes (exactly, when none was dropped).
    const lastOf = (id: number) => samples.filter((x) => x.id === id).at(-1)!.value;
    const records = batches.filter((b) => b.id === trace.id).flatMap((b) => b.records);
    const dropped = batches.filter((b) => b.id === trace.id).reduce((n, b) => n + b.dropped, 0);
    // A CPU stopped between reserving a slot and finishing its record holds that record back (≤ 1 per CPU).
    expect(records.length + dropped).toBeLessThanOrEqual(lastOf(trace.id));
    expect(records.length + dropped).toBeGreaterThanOrEqual(lastOf(trace.id) - 2);
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r.function === 'kmem_alloc')).toBe(true);
    // The assertion went in after the trace (the kernel ran between): count the traced entries after it,
    // give or take the CPUs' clock skew (< 1 ms) at the boundary.
    const failedSince = (ns: number) => records.filter((r) => r.timeNs >= ns && r.args[0]! > 128).length;
    expect(lastOf(large.id)).toBeLessThanOrEqual(failedSince(large.enabledAtNs - 1e6) + 2);
    if (dropped === 0) expect(lastOf(large.id)).toBeGreaterThanOrEqual(failedSince(large.enabledAtNs + 1e6));
    expect((await client.call('instrument.stream', { id: trace.id })).records.length).toBe(Math.min(records.length, 500));
    await client.call('instrument.disable', { id: trace.id });
    await client.call('instrument.disable', { id: large.id });
    const log = await client.call('instrument.log', { since: 0 });
    expect(log.entries.filter((e) => e.op === 'install').length).toBeGreaterThanOrEqual(calls.points + vtime.points);
    expect(log.entries.every((e, k) => k === 0 || e.timeNs >= log.entries[k - 1]!.timeNs)).toBe(true);
    expect((await client.call('instrument.log', { since: log.total })).entries).toEqual([]);
    const stream = await client.call('instrument.stream', { id: calls.id });
    expect(stream.samples.at(-1)).toEqual(mine.at(-1));
    const state = await client.call('instrument.state', {});
    expect(state.metrics.map((m) => m.id)).toEqual([calls.id, vtime.id]);
    // The virtual timer also hooks the context switch (swtch's entry and exits).
    expect(state.splices).toBeGreaterThan(calls.points + vtime.points);
    const off = await client.call('instrument.disable', { id: vtime.id });
    expect(off.metrics.map((m) => m.id)).toEqual([calls.id]);
    expect(off.splices).toBe(calls.points);
    await client.call('instrument.disable', { id: calls.id });
    await client.call('machine.run', {});
    await new Promise((r) => setTimeout(r, 500));
    const status = await client.call('machine.pause', {});
    expect(status.state).toBe('paused');
    expect((await client.call('instrument.state', {})).splices).toBe(0);
    await session.dispose();
  });
});

describe('function ids over the minisol kernel (static functions of one name)', () => {
  it('keys the call graph, code.functions and analysis.function on one unique id per function', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { engineParts, Session: S } = await import('../../src/main/node/session/index.ts');
    const { directClient, encodeBase64 } = await import('../../src/shared/index.ts');
    const bytes = readFileSync(join(import.meta.dirname, '../../guest/minisol/minisol.elf'));
    const client = directClient(new S({ parts: engineParts(), defaultImagePath: null }));
    await client.call('image.open', { name: 'minisol.elf', base64: encodeBase64(bytes) });
    const fns = await client.call('code.functions', {});
    const ids = new Set(fns.map((f) => f.id));
    expect(ids.size).toBe(fns.length);
    const byName = new Map<string, number>();
    for (const f of fns) byName.set(f.name, (byName.get(f.name) ?? 0) + 1);
    const shared = [...byName].filter(([, n]) => n > 1).map(([name]) => name);
    // _init and _fini of every module: about 30 functions under 2 names.
    expect(shared).toEqual(expect.arrayContaining(['_init', '_fini']));
    const graph = await client.call('analysis.callGraph', {});
    const nodeIds = new Set(graph.nodes.map((n) => n.id));
    expect(nodeIds.size).toBe(graph.nodes.length);
    // Every symbol's function is in the graph under the symbol's id, and edges only join known ids.
    const inits = fns.filter((f) => f.name === '_init');
    for (const f of inits) expect(graph.nodes.find((n) => n.address === f.address)).toMatchObject({ id: f.id, name: '_init', module: f.module });
    for (const e of graph.edges) expect(nodeIds.has(e.from) && nodeIds.has(e.to)).toBe(true);
    // Two functions of one name give two details, each with its own address.
    const twins = fns.filter((f) => f.name === shared[0]);
    const details = await Promise.all(twins.map((f) => client.call('analysis.function', { id: f.id })));
    expect(details.map((d) => d.summary.address)).toEqual(twins.map((f) => f.address));
    expect(details.every((d) => d.cfg !== null && d.cfg.blocks[0]!.start === d.summary.address)).toBe(true);
  });
});
