// Placeholder traffic generator (replaced by the full TCP peer).
import type { NetPeer, NicPort } from './nic.ts';

export interface MirrorPeerOptions {
  seed: number;
  servers: number;
  serverIp: number;
  port: number;
  peerMac: Uint8Array;
  mirror: { lossPct: number; reorderPct: number; urgentPct: number; dupAckPct: number; windowPct: number; optionsPct: number; rstPct: number; bandwidth: number; delayUs: number };
}

export class MirrorPeer implements NetPeer {
  private port: NicPort | null = null;
  readonly options: MirrorPeerOptions;
  constructor(options: MirrorPeerOptions) {
    this.options = options;
  }
  attach(port: NicPort): void {
    this.port = port;
  }
  receive(_frame: Uint8Array, _now: number): void {}
}
