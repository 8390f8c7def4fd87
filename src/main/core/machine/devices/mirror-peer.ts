// The traffic generator for the mirror workload: a TCP peer on the NIC's wire playing N web servers (handshake, HTTP responses, ACK processing, retransmission), with seeded loss, reordering, urgent data, window changes, options, duplicate ACKs and resets so the guest's cold TCP paths run.
import type { NetPeer, NicPort } from './nic.ts';

/** What the traffic generator does to the wire: the rates of its cold-path events and the link. */
export interface MirrorTraffic {
  /** Per-segment probabilities (percent) of the traffic generator's cold-path events. */
  lossPct: number;
  reorderPct: number;
  urgentPct: number;
  dupAckPct: number;
  windowPct: number;
  optionsPct: number;
  /** Probability (percent) per response of resetting the connection. */
  rstPct: number;
  /** Link bandwidth (bits per second) and one-way delay (microseconds). */
  bandwidth: number;
  delayUs: number;
}

export interface MirrorPeerOptions {
  seed: number;
  servers: number;
  /** IP of server 0; server i is serverIp + i. */
  serverIp: number;
  port: number;
  /** The MAC the peer (the guest's gateway) uses. */
  peerMac: Uint8Array;
  mirror: MirrorTraffic;
}

export interface MirrorPeerStats {
  connections: number;
  requests: number;
  responses: number;
  bytesServed: number;
  segmentsIn: number;
  segmentsOut: number;
  badChecksums: number;
  retransmits: number;
  timeouts: number;
  fastRetransmits: number;
  /** Cold-path events injected. */
  lost: number;
  reordered: number;
  urgent: number;
  dupAckBursts: number;
  windowUpdates: number;
  optionSegments: number;
  resets: number;
  zeroWindowProbes: number;
  pings: number;
  pingReplies: number;
  unknownSegments: number;
  rxRingDrops: number;
}

const TH_FIN = 0x01;
const TH_SYN = 0x02;
const TH_RST = 0x04;
const TH_PUSH = 0x08;
const TH_ACK = 0x10;
const TH_URG = 0x20;
const MSS = 1460;
const PEER_WINDOW = 65535;

type ConnState = 'SYN_RCVD' | 'ESTABLISHED' | 'LAST_ACK' | 'CLOSED';

interface Conn {
  key: string;
  server: number;
  clientPort: number;
  clientIp: number;
  state: ConnState;
  iss: number;
  /** The outgoing byte stream: stream[0] is sequence iss + 1. */
  stream: number[];
  sndUna: number;
  sndNxt: number;
  finQueued: boolean;
  finSent: boolean;
  rcvNxt: number;
  guestWindow: number;
  guestMss: number;
  myWindow: number;
  request: string;
  rtoGen: number;
  persistGen: number;
  dupAcks: number;
  /** Stream offsets of urgent (out-of-band) bytes the peer inserted. */
  urgentAt: Set<number>;
  /** One past the furthest stream offset ever sent: data below it goes out again only as it first did. */
  sentMax: number;
  /** A response in progress whose connection will be reset at this stream offset. */
  resetAt: number | null;
}

function xorshift(x: number): number {
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return x >>> 0;
}

function csumPartial(b: Uint8Array, off: number, len: number, sum: number): number {
  let i = 0;
  for (; i + 1 < len; i += 2) sum += (b[off + i]! << 8) | b[off + i + 1]!;
  if (i < len) sum += b[off + i]! << 8;
  return sum;
}

function csumFold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 65536);
  return ~sum & 0xffff;
}

const seqAdd = (a: number, b: number): number => (a + b) >>> 0;
const seqDiff = (a: number, b: number): number => (a - b) | 0;

export class MirrorPeer implements NetPeer {
  readonly options: MirrorPeerOptions;
  readonly stats: MirrorPeerStats = {
    connections: 0, requests: 0, responses: 0, bytesServed: 0, segmentsIn: 0, segmentsOut: 0, badChecksums: 0,
    retransmits: 0, timeouts: 0, fastRetransmits: 0, lost: 0, reordered: 0, urgent: 0, dupAckBursts: 0,
    windowUpdates: 0, optionSegments: 0, resets: 0, zeroWindowProbes: 0, pings: 0, pingReplies: 0, unknownSegments: 0,
    rxRingDrops: 0,
  };
  private port: NicPort | null = null;
  private rng: number;
  private readonly conns = new Map<string, Conn>();
  /** When the wire towards the guest is free again (serialization at the link's bandwidth). */
  private wireFree = 0;
  private ipId = 1;
  private pingSeq = 0;

  constructor(options: MirrorPeerOptions) {
    this.options = options;
    this.rng = ((options.seed * 2654435761) ^ 0x6d697272) >>> 0 || 1;
  }

  attach(port: NicPort): void {
    this.port = port;
  }

  private chance(pct: number): boolean {
    if (pct <= 0) return false;
    this.rng = xorshift(this.rng);
    return this.rng % 10000 < pct * 100;
  }

  private rand(n: number): number {
    this.rng = xorshift(this.rng);
    return this.rng % n;
  }

  private cycles(us: number): number {
    return Math.round((us * this.port!.cyclesPerSecond) / 1e6);
  }

  // ---- the wire -----------------------------------------------------------------------------

  /** Puts a frame on the wire towards the guest; `extraUs` delays it beyond its turn (reordering). */
  private transmit(frame: Uint8Array, extraUs = 0): void {
    const port = this.port!;
    const now = port.now();
    const bitsTime = Math.ceil((frame.length * 8 * port.cyclesPerSecond) / this.options.mirror.bandwidth);
    const start = Math.max(now, this.wireFree);
    this.wireFree = start + bitsTime;
    const at = this.wireFree + this.cycles(this.options.mirror.delayUs + extraUs);
    this.stats.segmentsOut++;
    port.schedule(at, () => {
      if (!port.deliver(frame)) this.stats.rxRingDrops++;
    });
  }

  receive(frame: Uint8Array, now: number): void {
    // the guest's frame crosses the wire before we see it
    this.port!.schedule(now + this.cycles(this.options.mirror.delayUs), () => this.input(frame));
  }

  private ipFrame(src: number, dst: number, proto: number, payload: Uint8Array): Uint8Array {
    const f = new Uint8Array(14 + 20 + payload.length);
    const v = new DataView(f.buffer);
    f.set(this.port!.mac, 0);
    f.set(this.options.peerMac, 6);
    v.setUint16(12, 0x0800);
    v.setUint8(14, 0x45);
    v.setUint16(16, 20 + payload.length);
    v.setUint16(18, this.ipId++ & 0xffff);
    v.setUint16(20, 0x4000);
    v.setUint8(22, 64);
    v.setUint8(23, proto);
    v.setUint32(26, src);
    v.setUint32(30, dst);
    v.setUint16(24, csumFold(csumPartial(f, 14, 20, 0)));
    f.set(payload, 34);
    return f;
  }

  private tcpSegment(c: Conn, seq: number, ack: number, flags: number, data: Uint8Array, options: Uint8Array | null, urp = 0, window = c.myWindow): Uint8Array {
    const optLen = options?.length ?? 0;
    const seg = new Uint8Array(20 + optLen + data.length);
    const v = new DataView(seg.buffer);
    v.setUint16(0, this.options.port);
    v.setUint16(2, c.clientPort);
    v.setUint32(4, seq >>> 0);
    v.setUint32(8, ack >>> 0);
    v.setUint8(12, ((20 + optLen) / 4) << 4);
    v.setUint8(13, flags);
    v.setUint16(14, window);
    v.setUint16(18, urp);
    if (options) seg.set(options, 20);
    seg.set(data, 20 + optLen);
    const src = this.options.serverIp + c.server;
    let sum = (src >>> 16) + (src & 0xffff) + (c.clientIp >>> 16) + (c.clientIp & 0xffff) + 6 + seg.length;
    sum = csumPartial(seg, 0, seg.length, sum);
    v.setUint16(16, csumFold(sum));
    return this.ipFrame(src, c.clientIp, 6, seg);
  }

  private sendRst(src: number, dst: number, sport: number, dport: number, seq: number, ack: number, withAck: boolean): void {
    const seg = new Uint8Array(20);
    const v = new DataView(seg.buffer);
    v.setUint16(0, sport);
    v.setUint16(2, dport);
    v.setUint32(4, seq >>> 0);
    v.setUint32(8, ack >>> 0);
    v.setUint8(12, 5 << 4);
    v.setUint8(13, TH_RST | (withAck ? TH_ACK : 0));
    let sum = (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + 6 + 20;
    sum = csumPartial(seg, 0, 20, sum);
    v.setUint16(16, csumFold(sum));
    this.transmit(this.ipFrame(src, dst, 6, seg));
  }

  // ---- input --------------------------------------------------------------------------------

  private input(frame: Uint8Array): void {
    if (frame.length < 34) return;
    const v = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    if (v.getUint16(12) !== 0x0800) return;
    const ihl = (v.getUint8(14) & 15) * 4;
    if (csumFold(csumPartial(frame, 14, ihl, 0)) !== 0) {
      this.stats.badChecksums++;
      return;
    }
    const totalLen = v.getUint16(16);
    const proto = v.getUint8(23);
    const src = v.getUint32(26);
    const dst = v.getUint32(30);
    const server = dst - this.options.serverIp;
    if (server < 0 || server >= this.options.servers) return;
    const body = frame.subarray(14 + ihl, 14 + totalLen);
    if (proto === 1) {
      if (body[0] === 0) this.stats.pingReplies++;
      return;
    }
    if (proto !== 6 || body.length < 20) return;
    let sum = (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + 6 + body.length;
    sum = csumPartial(body, 0, body.length, sum);
    if (csumFold(sum) !== 0) {
      this.stats.badChecksums++;
      return;
    }
    this.stats.segmentsIn++;
    const tv = new DataView(body.buffer, body.byteOffset, body.byteLength);
    const sport = tv.getUint16(0);
    const dport = tv.getUint16(2);
    const seq = tv.getUint32(4);
    const ack = tv.getUint32(8);
    const off = (tv.getUint8(12) >> 4) * 4;
    const flags = tv.getUint8(13);
    const win = tv.getUint16(14);
    const data = body.subarray(off);
    if (dport !== this.options.port) return;
    const key = `${server}:${sport}`;
    let c = this.conns.get(key);
    if (flags & TH_RST) {
      if (c) this.drop(c);
      return;
    }
    if (c === undefined) {
      if (flags & TH_SYN && !(flags & TH_ACK)) {
        c = this.accept(key, server, sport, src, seq, body.subarray(20, off), win);
        return;
      }
      this.stats.unknownSegments++;
      if (flags & TH_ACK) this.sendRst(dst, src, dport, sport, ack, 0, false);
      else this.sendRst(dst, src, dport, sport, 0, seq + data.length + (flags & (TH_SYN | TH_FIN) ? 1 : 0), true);
      return;
    }
    if (flags & TH_SYN) {
      // a retransmitted SYN: answer with the SYN-ACK again
      if (c.state === 'SYN_RCVD') this.sendSynAck(c);
      return;
    }
    this.segment(c, seq, ack, flags, win, data);
  }

  private accept(key: string, server: number, clientPort: number, clientIp: number, seq: number, opts: Uint8Array, win: number): Conn {
    let guestMss = 536;
    for (let i = 0; i < opts.length;) {
      const kind = opts[i]!;
      if (kind === 0) break;
      if (kind === 1) {
        i++;
        continue;
      }
      const len = opts[i + 1] ?? 0;
      if (len < 2) break;
      if (kind === 2 && len === 4) guestMss = (opts[i + 2]! << 8) | opts[i + 3]!;
      i += len;
    }
    this.rng = xorshift(this.rng);
    const iss = this.rng;
    const c: Conn = {
      key, server, clientPort, clientIp, state: 'SYN_RCVD', iss, stream: [], sndUna: iss, sndNxt: seqAdd(iss, 1),
      finQueued: false, finSent: false, rcvNxt: seqAdd(seq, 1), guestWindow: win, guestMss: Math.min(guestMss, MSS),
      myWindow: PEER_WINDOW, request: '', rtoGen: 0, persistGen: 0, dupAcks: 0, urgentAt: new Set(), sentMax: 0, resetAt: null,
    };
    this.conns.set(key, c);
    if (this.stats.connections++ === 0) this.schedulePing();
    this.sendSynAck(c);
    return c;
  }

  private sendSynAck(c: Conn): void {
    // MSS, NOP + window scale 0, SACK permitted, timestamps: the options a 1999 web server sent
    const ts = Math.floor(this.port!.now() / 1000) >>> 0;
    const opt = new Uint8Array([2, 4, MSS >> 8, MSS & 255, 1, 3, 3, 0, 4, 2, 8, 10, (ts >>> 24) & 255, (ts >>> 16) & 255, (ts >>> 8) & 255, ts & 255, 0, 0, 0, 0]);
    this.transmit(this.tcpSegment(c, c.iss, c.rcvNxt, TH_SYN | TH_ACK, new Uint8Array(0), opt));
    this.armRto(c);
  }

  private segment(c: Conn, seq: number, ack: number, flags: number, win: number, data: Uint8Array): void {
    if (c.state === 'CLOSED') return;
    // ACK processing
    if (flags & TH_ACK) {
      if (c.state === 'SYN_RCVD' && seqDiff(ack, c.iss) > 0) c.state = 'ESTABLISHED';
      const acked = seqDiff(ack, c.sndUna);
      const maxAck = seqAdd(seqAdd(c.iss, 1 + c.stream.length), c.finSent ? 1 : 0);
      if (acked > 0 && seqDiff(ack, maxAck) <= 0) {
        c.sndUna = ack;
        c.dupAcks = 0;
        if (seqDiff(c.sndNxt, c.sndUna) < 0) c.sndNxt = c.sndUna;
        if (c.state === 'LAST_ACK' && c.finSent && ack === maxAck) {
          this.drop(c);
          return;
        }
        this.armRto(c);
      } else if (acked === 0 && data.length === 0 && win === c.guestWindow && seqDiff(c.sndNxt, c.sndUna) > 0) {
        // the guest saw a gap: three duplicate ACKs trigger a fast retransmit
        if (++c.dupAcks === 3) {
          this.stats.fastRetransmits++;
          this.sendFrom(c, c.sndUna, true);
        }
      }
      const wasZero = c.guestWindow === 0;
      c.guestWindow = win;
      if (wasZero && win > 0) c.persistGen++;
    }
    // data from the guest: the HTTP request, or its FIN
    if (data.length > 0 || flags & TH_FIN) {
      if (seq !== c.rcvNxt) {
        // out of order or a duplicate: re-ACK what we have
        this.sendAck(c);
      } else {
        if (data.length > 0 && this.chance(this.options.mirror.dupAckPct) && c.state === 'ESTABLISHED') {
          // pretend the request was lost on the wire: duplicate ACKs make the guest retransmit it
          this.stats.dupAckBursts++;
          for (let i = 0; i < 3; i++) this.sendAck(c);
          this.pump(c);
          return;
        }
        c.rcvNxt = seqAdd(c.rcvNxt, data.length);
        if (data.length > 0) {
          c.request += String.fromCharCode(...data);
          this.serveRequests(c);
        }
        if (flags & TH_FIN) {
          c.rcvNxt = seqAdd(c.rcvNxt, 1);
          c.finQueued = true;
          if (c.state === 'ESTABLISHED') c.state = 'LAST_ACK';
        }
        this.sendAck(c);
      }
    }
    this.pump(c);
  }

  private serveRequests(c: Conn): void {
    for (;;) {
      const end = c.request.indexOf('\r\n\r\n');
      if (end < 0) return;
      const req = c.request.slice(0, end);
      c.request = c.request.slice(end + 4);
      this.stats.requests++;
      const m = /^GET \/s(\d+)\/f(\d+) /.exec(req);
      let header: string;
      let body: Uint8Array;
      if (m) {
        const s = Number(m[1]);
        const f = Number(m[2]);
        const size = mirrorFileSize(s, f);
        body = new Uint8Array(size);
        for (let i = 0; i < size; i++) body[i] = mirrorFileByte(s, f, i);
        header = `HTTP/1.1 200 OK\r\nServer: mirror${c.server}\r\nContent-Length: ${size}\r\n\r\n`;
      } else {
        body = new Uint8Array(0);
        header = 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n';
      }
      this.stats.responses++;
      this.stats.bytesServed += body.length;
      for (let i = 0; i < header.length; i++) c.stream.push(header.charCodeAt(i));
      const bodyStart = c.stream.length;
      for (const b of body) c.stream.push(b);
      if (c.resetAt === null && body.length > 2000 && this.chance(this.options.mirror.rstPct)) {
        c.resetAt = bodyStart + this.rand(body.length - 1000);
      }
    }
  }

  private sendAck(c: Conn): void {
    this.transmit(this.tcpSegment(c, seqAdd(c.iss, 1 + c.stream.length), c.rcvNxt, TH_ACK, new Uint8Array(0), null));
  }

  /** Sends what the guest's window allows. */
  private pump(c: Conn): void {
    if (c.state !== 'ESTABLISHED' && c.state !== 'LAST_ACK') return;
    const base = seqAdd(c.iss, 1);
    for (;;) {
      const off = seqDiff(c.sndNxt, base);
      const inFlight = seqDiff(c.sndNxt, c.sndUna);
      const room = c.guestWindow - inFlight;
      const left = c.stream.length - off;
      if (c.resetAt !== null && off >= c.resetAt) {
        this.stats.resets++;
        const src = this.options.serverIp + c.server;
        this.sendRst(src, c.clientIp, this.options.port, c.clientPort, c.sndNxt, 0, false);
        this.drop(c);
        return;
      }
      if (left <= 0) {
        if (c.finQueued && !c.finSent && c.sndNxt === seqAdd(base, c.stream.length)) {
          c.finSent = true;
          this.transmit(this.tcpSegment(c, c.sndNxt, c.rcvNxt, TH_FIN | TH_ACK, new Uint8Array(0), null));
          c.sndNxt = seqAdd(c.sndNxt, 1);
          this.armRto(c);
        }
        return;
      }
      if (room <= 0) {
        if (c.guestWindow === 0) this.armPersist(c);
        return;
      }
      const len = Math.min(c.guestMss, room, left, c.resetAt !== null ? Math.max(1, c.resetAt - off) : Infinity);
      c.sndNxt = seqAdd(c.sndNxt, this.sendSegment(c, off, len, false));
      this.armRto(c);
    }
  }

  /**
   * One data segment of the stream at `off`; returns the bytes it carries. First transmissions may be
   * lost, delayed, made urgent. Data sent before (a retransmission, or sent again after a timeout's
   * go-back) keeps its urgent byte marked, as a real TCP keeps URG on until the urgent data is
   * acknowledged: the segment ends at the urgent byte so that its pointer marks it.
   */
  private sendSegment(c: Conn, off: number, len: number, retransmit: boolean): number {
    const m = this.options.mirror;
    const fresh = !retransmit && off >= c.sentMax;
    let urp = 0;
    let flags = TH_ACK;
    if (!fresh) {
      let first = Infinity;
      for (const u of c.urgentAt) if (u >= off && u < off + len && u < first) first = u;
      if (first !== Infinity) {
        len = first - off + 1;
        urp = len;
        flags |= TH_URG;
      }
    } else if (len > 8 && this.chance(m.urgentPct)) {
      // urgent data: an extra out-of-band byte goes into the stream inside this segment; the
      // guest's TCP pulls it out, so the application still sees the file unchanged
      const k = 1 + this.rand(len - 2);
      c.stream.splice(off + k, 0, 0x21);
      if (c.resetAt !== null && c.resetAt > off + k) c.resetAt++;
      c.urgentAt.add(off + k);
      urp = k + 1;
      flags |= TH_URG;
      this.stats.urgent++;
    }
    if (off + len >= c.stream.length) flags |= TH_PUSH;
    c.sentMax = Math.max(c.sentMax, off + len);
    const data = new Uint8Array(c.stream.slice(off, off + len));
    let options: Uint8Array | null = null;
    if (this.chance(m.optionsPct)) {
      const ts = Math.floor(this.port!.now() / 1000) >>> 0;
      options = new Uint8Array([1, 1, 8, 10, (ts >>> 24) & 255, (ts >>> 16) & 255, (ts >>> 8) & 255, ts & 255, 0, 0, 0, 0]);
      this.stats.optionSegments++;
    }
    let window = c.myWindow;
    if (this.chance(m.windowPct)) {
      // the peer's own window changes; a pure ACK announces the bigger one afterwards
      window = 8192 + this.rand(PEER_WINDOW - 8192);
      c.myWindow = window;
      this.stats.windowUpdates++;
    }
    const seq = seqAdd(c.iss, 1 + off);
    const frame = this.tcpSegment(c, seq, c.rcvNxt, flags, data, options, urp, window);
    if (!fresh) this.stats.retransmits++;
    if (fresh && urp === 0 && this.chance(m.lossPct)) {
      this.stats.lost++;
      return len;
    }
    if (fresh && urp === 0 && this.chance(m.reorderPct)) {
      this.stats.reordered++;
      this.transmit(frame, 400);
      return len;
    }
    this.transmit(frame);
    if (window !== PEER_WINDOW && c.myWindow === window && this.chance(50)) {
      c.myWindow = PEER_WINDOW;
      this.sendAck(c);
    }
    return len;
  }

  /** Go back: resend from `seq` (one segment for a fast retransmit, all that fits for a timeout). */
  private sendFrom(c: Conn, seq: number, one: boolean): void {
    const base = seqAdd(c.iss, 1);
    const off = seqDiff(seq, base);
    if (off < 0) {
      // the SYN-ACK itself
      if (c.state === 'SYN_RCVD') this.sendSynAck(c);
      return;
    }
    if (off >= c.stream.length) {
      if (c.finSent) this.transmit(this.tcpSegment(c, seqAdd(base, c.stream.length), c.rcvNxt, TH_FIN | TH_ACK, new Uint8Array(0), null));
      return;
    }
    const len = this.sendSegment(c, off, Math.min(c.guestMss, c.stream.length - off, Math.max(1, c.guestWindow)), true);
    if (!one) {
      c.sndNxt = seqAdd(seq, len);
      this.pump(c);
    }
    this.armRto(c);
  }

  private armRto(c: Conn): void {
    const gen = ++c.rtoGen;
    const port = this.port!;
    port.schedule(port.now() + this.cycles(20000), () => {
      if (c.rtoGen !== gen || c.state === 'CLOSED') return;
      if (c.sndUna === c.sndNxt && c.state !== 'SYN_RCVD') return;
      this.stats.timeouts++;
      c.sndNxt = c.sndUna;
      this.sendFrom(c, c.sndUna, false);
    });
  }

  /** Zero window: probe with one byte every 10 ms until the guest opens it. */
  private armPersist(c: Conn): void {
    const gen = ++c.persistGen;
    const port = this.port!;
    port.schedule(port.now() + this.cycles(10000), () => {
      if (c.persistGen !== gen || c.state === 'CLOSED' || c.guestWindow > 0) return;
      const off = seqDiff(c.sndNxt, seqAdd(c.iss, 1));
      if (off < c.stream.length) {
        this.stats.zeroWindowProbes++;
        const data = new Uint8Array(c.stream.slice(off, off + 1));
        this.transmit(this.tcpSegment(c, c.sndNxt, c.rcvNxt, TH_ACK, data, null));
      }
      this.armPersist(c);
    });
  }

  private drop(c: Conn): void {
    c.state = 'CLOSED';
    c.rtoGen++;
    c.persistGen++;
    this.conns.delete(c.key);
  }

  /** An ICMP echo request to the guest now and then (its icmp_input path). */
  private schedulePing(): void {
    const port = this.port!;
    port.schedule(port.now() + this.cycles(100000), () => {
      const payload = new Uint8Array(16);
      const v = new DataView(payload.buffer);
      v.setUint8(0, 8);
      v.setUint16(4, 0x4d53);
      v.setUint16(6, this.pingSeq++ & 0xffff);
      v.setUint16(2, csumFold(csumPartial(payload, 0, payload.length, 0)));
      this.stats.pings++;
      this.transmit(this.ipFrame(this.options.serverIp, GUEST_IP, 1, payload));
      this.schedulePing();
    });
  }
}

/** The guest's address (bootparams.ts NET.guestIp). */
const GUEST_IP = 0x0a000102;

/** Size of file `file` of mirror server `server` (guest/minisol/include/libc.h mirror_file_size). */
export function mirrorFileSize(server: number, file: number): number {
  return 1024 + (((Math.imul(server, 7919) + Math.imul(file, 104729)) >>> 0) % 24576);
}

/** Byte `off` of that file (libc.h mirror_file_byte). */
export function mirrorFileByte(server: number, file: number, off: number): number {
  return ((Math.imul(off, 31) + Math.imul(server, 7) + Math.imul(file, 13)) ^ (off >>> 8)) & 0xff;
}
