// The deterministic file contents and sizes the guest's workloads, mkfs and the traffic generator agree on (guest/minisol/include/libc.h).

/** Byte `off` of /data/f<file> (the readers workload checks it). */
export function dataFileByte(file: number, off: number): number {
  return (Math.imul(off, 7) + Math.imul(file, 131) + (off >>> 12)) & 0xff;
}

export { mirrorFileByte, mirrorFileSize } from '../machine/index.ts';

/** Byte `off` of the proxy object with id `url`. */
export function proxyObjectByte(url: number, off: number): number {
  return (((Math.imul(url, 2654435761) + Math.imul(off, 17)) >>> 0) >>> 8) & 0xff;
}

/** Size of version `version` of proxy object `url` (mean size `mean`), as proxy.c computes it. */
export function proxyObjectSize(url: number, mean: number, version: number): number {
  let h = (Math.imul(url, 2654435761) ^ Math.imul(version, 40503)) >>> 0;
  const r = h % 100;
  h = Math.imul(h >>> 8, 2654435761) >>> 0;
  let size: number;
  if (r < 60) size = Math.floor(mean / 4) + (h % mean);
  else if (r < 90) size = mean + (h % (mean * 2));
  else size = mean * 2 + (h % (mean * 3));
  if (size < 256) size = 256;
  if (size > 48 * 1024) size = 48 * 1024;
  return size;
}

/** The proxy's per-worker URL and cache-file counts (proxy.c and mkfs must agree). */
export function proxyLayout(totalUrls: number, workers: number): { urlsPerWorker: number; slotsPerWorker: number } {
  let urls = Math.floor(totalUrls / Math.max(1, workers));
  if (urls > 2048) urls = 2048;
  if (urls < 2) urls = 2;
  return { urlsPerWorker: urls, slotsPerWorker: Math.floor(urls / 2) };
}
