// The disk (sd): one command at a time, DMA to and from guest memory, a seek + rotation + transfer latency model in virtual time, a completion interrupt.
import type { Device, DeviceHost } from '../bus.ts';
import { DEVICE_SPAN, DISK_BASE, IPL, SD } from './registers.ts';

export interface DiskGeometry {
  cylinders: number;
  heads: number;
  sectorsPerTrack: number;
}

/** The latency model's parameters (milliseconds and revolutions per minute). */
export interface DiskTiming {
  rpm: number;
  /** Seek time to a neighbouring cylinder (settle), and across the whole disk. */
  seekMinMs: number;
  seekMaxMs: number;
  /** Command overhead of the controller. */
  controllerMs: number;
}

/** A 10 000 rpm SCSI disk of about 2000. */
export const DEFAULT_DISK_TIMING: DiskTiming = { rpm: 10000, seekMinMs: 0.5, seekMaxMs: 7, controllerMs: 0.1 };

export interface DiskStats {
  reads: number;
  writes: number;
  sectorsRead: number;
  sectorsWritten: number;
  busyCycles: number;
  seekCycles: number;
  rotationCycles: number;
}

/** The geometry for a capacity in sectors: 4 heads, 64 sectors per track, enough cylinders. */
export function geometryFor(sectors: number): DiskGeometry {
  const heads = 4;
  const sectorsPerTrack = 64;
  return { heads, sectorsPerTrack, cylinders: Math.ceil(sectors / (heads * sectorsPerTrack)) };
}

export class DiskDevice implements Device {
  readonly name = 'disk';
  readonly base = DISK_BASE;
  readonly size = DEVICE_SPAN;
  /** The medium: capacity × 512 bytes. Host code may read it (fsck) while the machine is stopped. */
  readonly image: Uint8Array;
  readonly geometry: DiskGeometry;
  readonly timing: DiskTiming;
  readonly stats: DiskStats = { reads: 0, writes: 0, sectorsRead: 0, sectorsWritten: 0, busyCycles: 0, seekCycles: 0, rotationCycles: 0 };
  private readonly cyclesPerSecond: number;
  private blkno = 0;
  private nsect = 0;
  private dma = 0;
  private tag = 0;
  private doneTag = 0;
  private latency = 0;
  private busy = false;
  private done = false;
  private error = false;
  private intrTarget = 0;
  private headCylinder = 0;
  private host: DeviceHost | null = null;

  constructor(image: Uint8Array, options: { cyclesPerSecond: number; timing?: DiskTiming; geometry?: DiskGeometry }) {
    if (image.length % SD.SECTOR !== 0) throw new Error(`disk image of ${image.length} bytes is not a whole number of 512-byte sectors`);
    this.image = image;
    this.cyclesPerSecond = options.cyclesPerSecond;
    this.timing = options.timing ?? DEFAULT_DISK_TIMING;
    this.geometry = options.geometry ?? geometryFor(image.length / SD.SECTOR);
  }

  get capacity(): number {
    return this.image.length / SD.SECTOR;
  }

  attach(host: DeviceHost): void {
    this.host = host;
  }

  read(offset: number): number {
    switch (offset) {
      case SD.BLKNO: return this.blkno;
      case SD.NSECT: return this.nsect;
      case SD.DMA: return this.dma;
      case SD.STATUS: return (this.busy ? SD.ST_BUSY : 0) | (this.done ? SD.ST_DONE : 0) | (this.error ? SD.ST_ERROR : 0);
      case SD.CAPACITY: return this.capacity;
      case SD.TAG: return this.tag;
      case SD.GEOM: return ((this.geometry.cylinders & 0xffff) << 16) | ((this.geometry.heads & 0xff) << 8) | (this.geometry.sectorsPerTrack & 0xff);
      case SD.INTR_TARGET: return this.intrTarget;
      case SD.DONE_TAG: return this.doneTag;
      case SD.LATENCY: return this.latency >>> 0;
      default: return 0;
    }
  }

  write(offset: number, _width: 1 | 2 | 4, value: number): void {
    switch (offset) {
      case SD.CMD: this.start(value); break;
      case SD.BLKNO: this.blkno = value >>> 0; break;
      case SD.NSECT: this.nsect = value >>> 0; break;
      case SD.DMA: this.dma = value >>> 0; break;
      case SD.TAG: this.tag = value >>> 0; break;
      case SD.INTR_TARGET:
        if (value < (this.host?.cpuCount?.() ?? 1)) this.intrTarget = value;
        break;
      case SD.STATUS:
        if (value & SD.ST_DONE) this.done = false;
        if (value & SD.ST_ERROR) this.error = false;
        if (!this.done && !this.error) this.host?.clearInterrupt(IPL.DISK, this.intrTarget);
        break;
    }
  }

  private ms(ms: number): number {
    return Math.round((ms * this.cyclesPerSecond) / 1000);
  }

  /** Seek + rotational wait + transfer, in cycles, for a command issued at `now`. */
  private serviceTime(now: number, blkno: number, nsect: number): { total: number; seek: number; rotation: number } {
    const g = this.geometry;
    const perCylinder = g.heads * g.sectorsPerTrack;
    const cylinder = Math.floor(blkno / perCylinder);
    const distance = Math.abs(cylinder - this.headCylinder);
    const t = this.timing;
    const seek = distance === 0 ? 0 : this.ms(t.seekMinMs + (t.seekMaxMs - t.seekMinMs) * Math.sqrt(distance / Math.max(1, g.cylinders)));
    const revolution = Math.round((60 * this.cyclesPerSecond) / t.rpm);
    const arrive = now + this.ms(t.controllerMs) + seek;
    const under = Math.floor(((arrive % revolution) / revolution) * g.sectorsPerTrack);
    const wanted = blkno % g.sectorsPerTrack;
    const rotation = Math.round((((wanted - under + g.sectorsPerTrack) % g.sectorsPerTrack) / g.sectorsPerTrack) * revolution);
    const transfer = Math.round((nsect / g.sectorsPerTrack) * revolution);
    this.headCylinder = Math.floor((blkno + Math.max(0, nsect - 1)) / perCylinder);
    return { total: this.ms(t.controllerMs) + seek + rotation + transfer, seek, rotation };
  }

  private start(cmd: number): void {
    const host = this.host;
    if (host === null) return;
    if (this.busy) {
      this.error = true;
      host.raiseInterrupt(IPL.DISK, this.intrTarget);
      return;
    }
    const blkno = this.blkno;
    const nsect = this.nsect;
    const dma = this.dma;
    const tag = this.tag;
    const bad = (cmd !== SD.CMD_READ && cmd !== SD.CMD_WRITE) || nsect === 0 || blkno + nsect > this.capacity;
    const now = host.now();
    const { total, seek, rotation } = bad ? { total: this.ms(this.timing.controllerMs), seek: 0, rotation: 0 } : this.serviceTime(now, blkno, nsect);
    this.busy = true;
    host.schedule(now + total, () => {
      if (!bad) {
        const off = blkno * SD.SECTOR;
        const len = nsect * SD.SECTOR;
        if (cmd === SD.CMD_READ) {
          host.writePhys(dma, this.image.subarray(off, off + len));
          this.stats.reads++;
          this.stats.sectorsRead += nsect;
        } else {
          this.image.set(host.readPhys(dma, len), off);
          this.stats.writes++;
          this.stats.sectorsWritten += nsect;
        }
        this.stats.busyCycles += total;
        this.stats.seekCycles += seek;
        this.stats.rotationCycles += rotation;
      }
      this.busy = false;
      this.done = true;
      this.error = bad;
      this.doneTag = tag;
      this.latency = total;
      host.raiseInterrupt(IPL.DISK, this.intrTarget);
    });
  }

  snapshot(): unknown {
    return {
      image: this.image.slice(), blkno: this.blkno, nsect: this.nsect, dma: this.dma, tag: this.tag, doneTag: this.doneTag,
      latency: this.latency, busy: this.busy, done: this.done, error: this.error, intrTarget: this.intrTarget,
      headCylinder: this.headCylinder, stats: { ...this.stats },
    };
  }

  restore(state: unknown): void {
    const s = state as { image: Uint8Array; stats: DiskStats } & Record<string, unknown>;
    this.image.set(s.image);
    const { image: _image, stats, ...rest } = s;
    Object.assign(this, rest);
    Object.assign(this.stats, stats);
  }
}
