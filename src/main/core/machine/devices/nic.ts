// The NIC (hme): receive and transmit descriptor rings in guest memory, DMA, a level-6 interrupt; frames go to and come from a NetPeer.
import type { Device, DeviceHost } from '../bus.ts';
import { DEVICE_SPAN, HME, HMED, IPL, NIC_BASE } from './registers.ts';

/** What a traffic generator sees of the NIC it is plugged into. */
export interface NicPort {
  /** Virtual time in cycles. */
  now(): number;
  readonly cyclesPerSecond: number;
  /** Runs fn at virtual time `at` (between instructions). */
  schedule(at: number, fn: () => void): void;
  /** Puts a frame into the guest's receive ring; false when the ring had no free descriptor (dropped). */
  deliver(frame: Uint8Array): boolean;
  /** The guest's station address. */
  readonly mac: Uint8Array;
}

/** The other end of the wire. */
export interface NetPeer {
  attach(port: NicPort): void;
  /** A frame the guest transmitted, at virtual time `now`. */
  receive(frame: Uint8Array, now: number): void;
}

export interface NicStats {
  rxFrames: number;
  rxBytes: number;
  rxDrops: number;
  txFrames: number;
  txBytes: number;
}

export class NicDevice implements Device {
  readonly name = 'nic';
  readonly base = NIC_BASE;
  readonly size = DEVICE_SPAN;
  readonly mac: Uint8Array;
  readonly cyclesPerSecond: number;
  readonly stats: NicStats = { rxFrames: 0, rxBytes: 0, rxDrops: 0, txFrames: 0, txBytes: 0 };
  private ctrl = 0;
  private status = 0;
  private rxRing = 0;
  private rxSize = 0;
  private txRing = 0;
  private txSize = 0;
  private rxIndex = 0;
  private txIndex = 0;
  private intrTarget = 0;
  private raised = false;
  private host: DeviceHost | null = null;
  private peer: NetPeer | null = null;

  constructor(options: { cyclesPerSecond: number; mac?: Uint8Array; peer?: NetPeer }) {
    this.cyclesPerSecond = options.cyclesPerSecond;
    this.mac = options.mac ?? new Uint8Array([0x08, 0x00, 0x20, 0x4d, 0x53, 0x01]);
    this.peer = options.peer ?? null;
  }

  attach(host: DeviceHost): void {
    this.host = host;
    if (this.peer !== null) this.peer.attach(this.port(host));
  }

  private port(host: DeviceHost): NicPort {
    return {
      now: () => host.now(),
      cyclesPerSecond: this.cyclesPerSecond,
      schedule: (at, fn) => host.schedule(at, fn),
      deliver: (frame) => this.deliver(frame),
      mac: this.mac,
    };
  }

  private word(addr: number): number {
    const b = this.host!.readPhys(addr, 4);
    return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  }

  private setWord(addr: number, value: number): void {
    this.host!.writePhys(addr, new Uint8Array([(value >>> 24) & 255, (value >>> 16) & 255, (value >>> 8) & 255, value & 255]));
  }

  read(offset: number): number {
    switch (offset) {
      case HME.CTRL: return this.ctrl;
      case HME.STATUS: return this.status;
      case HME.RX_RING: return this.rxRing;
      case HME.RX_SIZE: return this.rxSize;
      case HME.TX_RING: return this.txRing;
      case HME.TX_SIZE: return this.txSize;
      case HME.RX_INDEX: return this.rxIndex >>> 0;
      case HME.TX_INDEX: return this.txIndex >>> 0;
      case HME.MAC_HI: return (this.mac[0]! << 8) | this.mac[1]!;
      case HME.MAC_LO: return ((this.mac[2]! << 24) | (this.mac[3]! << 16) | (this.mac[4]! << 8) | this.mac[5]!) >>> 0;
      case HME.INTR_TARGET: return this.intrTarget;
      case HME.RX_DROPS: return this.stats.rxDrops >>> 0;
      default: return 0;
    }
  }

  write(offset: number, _width: 1 | 2 | 4, value: number): void {
    switch (offset) {
      case HME.CTRL: this.ctrl = value & 7; this.updateInterrupt(); break;
      case HME.STATUS: this.status &= ~value; this.updateInterrupt(); break;
      case HME.RX_RING: this.rxRing = value >>> 0; this.rxIndex = 0; break;
      case HME.RX_SIZE: this.rxSize = value >>> 0; break;
      case HME.TX_RING: this.txRing = value >>> 0; this.txIndex = 0; break;
      case HME.TX_SIZE: this.txSize = value >>> 0; break;
      case HME.TX_KICK: this.transmit(); break;
      case HME.INTR_TARGET:
        if (value < (this.host?.cpuCount?.() ?? 1)) {
          if (this.raised) this.host?.clearInterrupt(IPL.NET, this.intrTarget);
          this.raised = false;
          this.intrTarget = value;
          this.updateInterrupt();
        }
        break;
    }
  }

  private updateInterrupt(): void {
    const host = this.host;
    if (host === null) return;
    const want = (this.ctrl & HME.CTRL_INTR) !== 0 && this.status !== 0;
    if (want && !this.raised) host.raiseInterrupt(IPL.NET, this.intrTarget);
    if (!want && this.raised) host.clearInterrupt(IPL.NET, this.intrTarget);
    this.raised = want;
  }

  /** A frame from the wire into the next receive descriptor the guest gave us. */
  deliver(frame: Uint8Array): boolean {
    if (this.host === null || !(this.ctrl & HME.CTRL_RX) || this.rxSize === 0) {
      this.stats.rxDrops++;
      return false;
    }
    const desc = this.rxRing + (this.rxIndex % this.rxSize) * HMED.SIZEOF;
    const flags = this.word(desc + HMED.FLAGS);
    if (!(flags & HMED.OWN)) {
      this.stats.rxDrops++;
      this.status |= HME.ST_DROP;
      this.updateInterrupt();
      return false;
    }
    const addr = this.word(desc + HMED.ADDR);
    const size = this.word(desc + HMED.SIZE);
    const len = Math.min(frame.length, size, HMED.LEN);
    this.host.writePhys(addr, frame.subarray(0, len));
    this.setWord(desc + HMED.FLAGS, (len < frame.length ? HMED.ERR : 0) | len);
    this.rxIndex++;
    this.stats.rxFrames++;
    this.stats.rxBytes += len;
    this.status |= HME.ST_RX;
    this.updateInterrupt();
    return true;
  }

  private transmit(): void {
    if (this.host === null || !(this.ctrl & HME.CTRL_TX) || this.txSize === 0) return;
    const now = this.host.now();
    let sent = 0;
    for (let n = 0; n < this.txSize; n++) {
      const desc = this.txRing + (this.txIndex % this.txSize) * HMED.SIZEOF;
      const flags = this.word(desc + HMED.FLAGS);
      if (!(flags & HMED.OWN)) break;
      const len = flags & HMED.LEN;
      const frame = this.host.readPhys(this.word(desc + HMED.ADDR), len);
      this.setWord(desc + HMED.FLAGS, len);
      this.txIndex++;
      this.stats.txFrames++;
      this.stats.txBytes += len;
      sent++;
      this.peer?.receive(frame, now);
    }
    if (sent > 0) {
      this.status |= HME.ST_TX;
      this.updateInterrupt();
    }
  }
}
