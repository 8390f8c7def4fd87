// Unit tests of the minisol devices against a fake machine (a DeviceHost with an event queue and byte memory).
import { describe, expect, it } from 'vitest';
import type { DeviceHost } from '../bus.ts';
import { ClockDevice } from './clock.ts';
import { ConsoleDevice } from './console.ts';
import { DiskDevice } from './disk.ts';
import { NicDevice, type NetPeer, type NicPort } from './nic.ts';
import { SysctlDevice } from './sysctl.ts';
import { CLK, CONS, HME, HMED, SC, SD } from './registers.ts';

class FakeHost implements DeviceHost {
  time = 0;
  events: { at: number; fn: () => void }[] = [];
  irq = new Map<string, boolean>();
  mem = new Uint8Array(1 << 20);
  logs: string[] = [];
  started: [number, number][] = [];
  readonly cpus: number;
  constructor(cpus = 2) {
    this.cpus = cpus;
  }
  now(): number {
    return this.time;
  }
  schedule(at: number, fn: () => void): void {
    this.events.push({ at, fn });
    this.events.sort((a, b) => a.at - b.at);
  }
  raiseInterrupt(level: number, cpu = 0): void {
    this.irq.set(`${level}@${cpu}`, true);
  }
  clearInterrupt(level: number, cpu = 0): void {
    this.irq.set(`${level}@${cpu}`, false);
  }
  pending(level: number, cpu = 0): boolean {
    return this.irq.get(`${level}@${cpu}`) === true;
  }
  readPhys(addr: number, len: number): Uint8Array {
    return this.mem.slice(addr, addr + len);
  }
  writePhys(addr: number, bytes: Uint8Array): void {
    this.mem.set(bytes, addr);
  }
  log(msg: string): void {
    this.logs.push(msg);
  }
  cpuCount(): number {
    return this.cpus;
  }
  startCpu(cpu: number, pc: number): void {
    this.started.push([cpu, pc]);
  }
  /** Runs events up to `until`. */
  advance(until: number): void {
    while (this.events.length > 0 && this.events[0]!.at <= until) {
      const e = this.events.shift()!;
      this.time = e.at;
      e.fn();
    }
    this.time = until;
  }
  word(addr: number): number {
    return new DataView(this.mem.buffer).getUint32(addr);
  }
  setWord(addr: number, v: number): void {
    new DataView(this.mem.buffer).setUint32(addr, v >>> 0);
  }
}

describe('console', () => {
  it('collects lines and tells listeners', () => {
    const host = new FakeHost();
    const c = new ConsoleDevice({ echo: true });
    c.attach(host);
    const seen: string[] = [];
    c.onLine((l) => seen.push(l));
    for (const ch of 'hello\nwor') c.write(CONS.DATA, 4, ch.charCodeAt(0));
    expect(seen).toEqual(['hello']);
    expect(host.logs).toEqual(['hello']);
    c.write(CONS.FLUSH, 4, 1);
    expect(c.lines).toEqual(['hello', 'wor']);
    expect(c.read(CONS.STATUS)).toBe(1);
  });
});

describe('sysctl', () => {
  it('reports CPUs, starts CPUs, pokes, halts, and keeps an idle event flag', () => {
    const host = new FakeHost(4);
    const idles: number[] = [];
    const s = new SysctlDevice({ cyclesPerSecond: 100e6, cpus: 4, onIdle: (c) => idles.push(c) });
    s.attach(host);
    expect(s.read(SC.NCPUS)).toBe(4);
    expect(s.read(SC.HZ)).toBe(100e6);
    s.write(SC.START_PC, 4, 0xf0004000);
    s.write(SC.START_CPU, 4, 2);
    expect(host.started).toEqual([[2, 0xf0004000]]);
    s.write(SC.IPI_SET, 4, 3);
    expect(host.pending(13, 3)).toBe(true);
    s.write(SC.IPI_CLEAR, 4, 3);
    expect(host.pending(13, 3)).toBe(false);
    host.time = 2 ** 33 + 5;
    expect(s.read(SC.TIME_LO)).toBe(5);
    expect(s.read(SC.TIME_HI)).toBe(2);
    s.noteInterrupt(1);
    s.write(SC.IDLE, 4, 1);
    expect(idles).toEqual([]);
    s.write(SC.IDLE, 4, 1);
    expect(idles).toEqual([1]);
    expect(s.read(SC.SHUTDOWN)).toBe(0);
    s.requestShutdown();
    expect(s.read(SC.SHUTDOWN)).toBe(1);
    s.write(SC.HALT, 4, 1);
    s.write(SC.HALT, 4, 0);
    expect(s.haltCode).toBe(1);
  });
});

describe('clock', () => {
  it('ticks in virtual time: level 10 on the target, level 14 on every CPU, counts missed ticks', () => {
    const host = new FakeHost(2);
    const c = new ClockDevice();
    c.attach(host);
    c.write(CLK.TARGET, 4, 1);
    c.write(CLK.PERIOD, 4, 1000);
    c.write(CLK.CTRL, 4, CLK.CTRL_SYSCLK | CLK.CTRL_TICK);
    host.advance(999);
    expect(host.pending(10, 1)).toBe(false);
    host.advance(1000);
    expect(host.pending(10, 1)).toBe(true);
    expect(host.pending(14, 0) && host.pending(14, 1)).toBe(true);
    c.write(CLK.ACK, 4, 1);
    c.write(CLK.TICK_ACK, 4, 0);
    expect(host.pending(10, 1)).toBe(false);
    expect(host.pending(14, 0)).toBe(false);
    expect(host.pending(14, 1)).toBe(true);
    host.advance(3000);
    expect(c.read(CLK.COUNT)).toBe(3);
    expect(c.read(CLK.MISSED)).toBe(1);
    c.write(CLK.CTRL, 4, 0);
    host.advance(10000);
    expect(c.read(CLK.COUNT)).toBe(3);
  });
});

describe('disk', () => {
  it('reads and writes by DMA after a seek + rotation + transfer latency, then interrupts', () => {
    const host = new FakeHost(1);
    const image = new Uint8Array(512 * 1024);
    for (let i = 0; i < image.length; i++) image[i] = (i * 7) & 0xff;
    const d = new DiskDevice(image, { cyclesPerSecond: 100e6 });
    d.attach(host);
    expect(d.read(SD.CAPACITY)).toBe(1024);
    d.write(SD.BLKNO, 4, 800);
    d.write(SD.NSECT, 4, 8);
    d.write(SD.DMA, 4, 0x1000);
    d.write(SD.TAG, 4, 0xabc);
    d.write(SD.CMD, 4, SD.CMD_READ);
    expect(d.read(SD.STATUS) & SD.ST_BUSY).toBe(SD.ST_BUSY);
    expect(host.events.length).toBe(1);
    const done = host.events[0]!.at;
    // controller overhead + seek + rotation + transfer of 8 of 64 sectors at 7200 rpm: 0.1 .. 20 ms
    expect(done).toBeGreaterThan(10_000);
    expect(done).toBeLessThan(2_000_000);
    host.advance(done);
    expect(host.mem.slice(0x1000, 0x1000 + 4096)).toEqual(image.slice(800 * 512, 808 * 512));
    expect(d.read(SD.STATUS)).toBe(SD.ST_DONE);
    expect(d.read(SD.DONE_TAG)).toBe(0xabc);
    expect(d.read(SD.LATENCY)).toBe(done);
    expect(host.pending(4)).toBe(true);
    d.write(SD.STATUS, 4, SD.ST_DONE);
    expect(host.pending(4)).toBe(false);
    host.mem.fill(0x5a, 0x2000, 0x2200);
    d.write(SD.BLKNO, 4, 3);
    d.write(SD.NSECT, 4, 1);
    d.write(SD.DMA, 4, 0x2000);
    d.write(SD.CMD, 4, SD.CMD_WRITE);
    host.advance(host.events[0]!.at);
    expect(image.slice(3 * 512, 4 * 512).every((b) => b === 0x5a)).toBe(true);
    expect(d.stats.reads).toBe(1);
    expect(d.stats.writes).toBe(1);
  });

  it('reports an error for a request beyond the end', () => {
    const host = new FakeHost(1);
    const d = new DiskDevice(new Uint8Array(512 * 16), { cyclesPerSecond: 100e6 });
    d.attach(host);
    d.write(SD.BLKNO, 4, 15);
    d.write(SD.NSECT, 4, 2);
    d.write(SD.CMD, 4, SD.CMD_READ);
    host.advance(host.events[0]!.at);
    expect(d.read(SD.STATUS)).toBe(SD.ST_DONE | SD.ST_ERROR);
  });
});

describe('nic', () => {
  const RX = 0x10000;
  const TX = 0x20000;
  function setup(peer?: NetPeer): { host: FakeHost; nic: NicDevice } {
    const host = new FakeHost(2);
    const nic = new NicDevice({ cyclesPerSecond: 100e6, ...(peer ? { peer } : {}) });
    nic.attach(host);
    for (let i = 0; i < 4; i++) {
      host.setWord(RX + i * 16 + HMED.ADDR, 0x30000 + i * 2048);
      host.setWord(RX + i * 16 + HMED.SIZE, 1536);
      host.setWord(RX + i * 16 + HMED.FLAGS, HMED.OWN);
    }
    nic.write(HME.RX_RING, 4, RX);
    nic.write(HME.RX_SIZE, 4, 4);
    nic.write(HME.TX_RING, 4, TX);
    nic.write(HME.TX_SIZE, 4, 4);
    nic.write(HME.INTR_TARGET, 4, 1);
    nic.write(HME.CTRL, 4, HME.CTRL_RX | HME.CTRL_TX | HME.CTRL_INTR);
    return { host, nic };
  }

  it('fills receive descriptors the guest owns, interrupts, and drops when the ring is full', () => {
    const { host, nic } = setup();
    for (let i = 0; i < 5; i++) nic.deliver(new Uint8Array([i, 1, 2, 3]));
    expect(host.word(RX + HMED.FLAGS)).toBe(4);
    expect(host.mem[0x30000]).toBe(0);
    expect(host.mem[0x30000 + 3 * 2048]).toBe(3);
    expect(nic.stats.rxFrames).toBe(4);
    expect(nic.stats.rxDrops).toBe(1);
    expect(host.pending(6, 1)).toBe(true);
    nic.write(HME.STATUS, 4, HME.ST_RX | HME.ST_DROP);
    expect(host.pending(6, 1)).toBe(false);
  });

  it('hands transmitted frames to the peer and returns the descriptors', () => {
    const sent: Uint8Array[] = [];
    const peer: NetPeer = { attach: (_p: NicPort) => {}, receive: (f) => sent.push(f) };
    const { host, nic } = setup(peer);
    host.mem.set([9, 8, 7], 0x40000);
    host.setWord(TX + HMED.ADDR, 0x40000);
    host.setWord(TX + HMED.FLAGS, HMED.OWN | 3);
    nic.write(HME.TX_KICK, 4, 1);
    expect(sent).toEqual([new Uint8Array([9, 8, 7])]);
    expect(host.word(TX + HMED.FLAGS) & HMED.OWN).toBe(0);
    expect(nic.read(HME.TX_INDEX)).toBe(1);
    expect(nic.read(HME.MAC_HI)).toBe(0x0800);
  });
});
