// The minisol machine's devices: console, sysctl, clock, disk, NIC, and the mirror workload's traffic generator.
export * from './registers.ts';
export { ConsoleDevice } from './console.ts';
export { SysctlDevice, type HaltCode } from './sysctl.ts';
export { ClockDevice } from './clock.ts';
export { DiskDevice, DEFAULT_DISK_TIMING, geometryFor, type DiskGeometry, type DiskTiming, type DiskStats } from './disk.ts';
export { NicDevice, type NetPeer, type NicPort, type NicStats } from './nic.ts';
export { MirrorPeer, mirrorFileByte, mirrorFileSize, type MirrorPeerOptions, type MirrorTraffic, type MirrorPeerStats } from './mirror-peer.ts';
