// mkfs: builds the initial disk image for a configuration: the file system with /cache (a warm proxy cache), /data (readers' files), /mirror and /tmp.
import type { BootConfig } from './config.ts';
import { dataFileByte, proxyLayout, proxyObjectByte, proxyObjectSize } from './contents.ts';
import {
  BITS_PER_BLOCK, DIRBLKSIZ, FS_BSIZE, FS_ISIZE, FS_MAGIC, FS_VERSION, FSCLEAN, IFDIR, IFREG, INOPB, NDADDR, NINDIR, ROOTINO,
  bitSet, blockOffset, dirsiz, view, writeInode, writeSuperblock, type Dinode, type Superblock,
} from './fs-layout.ts';
import { MinisolError } from './errors.ts';

interface Node {
  ino: number;
  name: string;
  dir: boolean;
  children: Node[];
  parent: Node | null;
  /** For a regular file: its size and content. */
  size: number;
  byte: ((off: number) => number) | null;
}

export interface MkfsResult {
  image: Uint8Array;
  superblock: Superblock;
  files: number;
  directories: number;
}

/** The proxy cache file name of file number f: /cache/0X/XXXXXXXX. */
export function proxyCachePath(file: number): string {
  return `/cache/${(file & 15).toString(16).padStart(2, '0')}/${file.toString(16).padStart(8, '0')}`;
}

/** Builds the disk image the guest boots with. */
export function mkfs(config: BootConfig): MkfsResult {
  const totalBlocks = config.disk.sizeMB * 256;
  const root: Node = { ino: ROOTINO, name: '', dir: true, children: [], parent: null, size: 0, byte: null };
  let nextIno = ROOTINO + 1;
  const mkdir = (parent: Node, name: string): Node => {
    const n: Node = { ino: nextIno++, name, dir: true, children: [], parent, size: 0, byte: null };
    parent.children.push(n);
    return n;
  };
  const mkfile = (parent: Node, name: string, size: number, byte: (off: number) => number): Node => {
    const n: Node = { ino: nextIno++, name, dir: false, children: [], parent, size, byte };
    parent.children.push(n);
    return n;
  };

  // /cache: the proxy's warm cache. Worker w's cache file s (number w*slots+s) holds object w*urls+s.
  const cache = mkdir(root, 'cache');
  const sub: Node[] = [];
  for (let i = 0; i < 16; i++) sub.push(mkdir(cache, i.toString(16).padStart(2, '0')));
  const { urlsPerWorker, slotsPerWorker } = proxyLayout(config.proxy.urls, config.proxy.procs);
  for (let w = 0; w < config.proxy.procs; w++) {
    for (let s = 0; s < slotsPerWorker; s++) {
      const file = w * slotsPerWorker + s;
      const url = w * urlsPerWorker + s;
      mkfile(sub[file & 15]!, file.toString(16).padStart(8, '0'), proxyObjectSize(url, config.proxy.meanSize, 0), (off) => proxyObjectByte(url, off));
    }
  }
  // /data: the readers' files
  const data = mkdir(root, 'data');
  for (let f = 0; f < config.readers.files; f++) mkfile(data, `f${f}`, config.readers.fileSize, (off) => dataFileByte(f, off));
  const mirror = mkdir(root, 'mirror');
  for (let i = 0; i < config.mirror.conns; i++) mkdir(mirror, `s${i}`);
  mkdir(root, 'tmp');
  const etc = mkdir(root, 'etc');
  const motd = 'minisol 1.0: a Solaris-shaped kernel for Springboard\n';
  mkfile(etc, 'motd', motd.length, (off) => motd.charCodeAt(off));

  const ninode = Math.max(1024, Math.ceil((nextIno + 4096) / INOPB) * INOPB);
  const nibmap = Math.ceil(ninode / BITS_PER_BLOCK);
  const nbbmap = Math.ceil(totalBlocks / BITS_PER_BLOCK);
  const nitable = ninode / INOPB;
  const ibmap = 2;
  const bbmap = ibmap + nibmap;
  const itable = bbmap + nbbmap;
  const dstart = itable + nitable;
  if (dstart + 64 > totalBlocks) throw new MinisolError('disk-too-small', `a ${config.disk.sizeMB} MB disk cannot hold the file system; use a bigger disk.sizeMB`);
  const image = new Uint8Array(totalBlocks * FS_BSIZE);
  const v = view(image);
  let nextBlock = dstart;
  const alloc = (): number => {
    if (nextBlock >= totalBlocks) throw new MinisolError('disk-too-small', `the initial files need more than ${config.disk.sizeMB} MB; use a bigger disk.sizeMB or fewer/smaller files`);
    bitSet(image, bbmap, nextBlock);
    return nextBlock++;
  };
  for (let b = 0; b < dstart; b++) bitSet(image, bbmap, b);
  bitSet(image, ibmap, 0);
  bitSet(image, ibmap, 1);
  const sb: Superblock = {
    magic: FS_MAGIC, version: FS_VERSION, size: totalBlocks, ninode, ibmap, nibmap, bbmap, nbbmap, itable, nitable,
    dstart, nfree: 0, nifree: 0, clean: FSCLEAN, time: 0, rootino: ROOTINO, bsize: FS_BSIZE, isize: FS_ISIZE, fsmnt: '/',
  };

  /** Lays out `nbytes` of content from `fill` into newly allocated blocks; returns the inode's block fields. */
  const writeContent = (nbytes: number, fill: (block: Uint8Array, off: number) => void): Pick<Dinode, 'db' | 'ib' | 'blocks'> => {
    const nblocks = Math.ceil(nbytes / FS_BSIZE);
    const db = new Array<number>(NDADDR).fill(0);
    const ib = [0, 0];
    let blocks = 0;
    let single: number[] | null = null;
    let double: number[] | null = null;
    const doubles = new Map<number, number[]>();
    for (let lbn = 0; lbn < nblocks; lbn++) {
      const blk = alloc();
      blocks++;
      fill(image.subarray(blockOffset(blk), blockOffset(blk) + FS_BSIZE), lbn * FS_BSIZE);
      if (lbn < NDADDR) {
        db[lbn] = blk;
      } else if (lbn < NDADDR + NINDIR) {
        if (single === null) {
          ib[0] = alloc();
          blocks++;
          single = [];
        }
        single.push(blk);
      } else {
        const k = lbn - NDADDR - NINDIR;
        if (double === null) {
          ib[1] = alloc();
          blocks++;
          double = [];
        }
        const l1 = Math.floor(k / NINDIR);
        if (double[l1] === undefined) {
          double[l1] = alloc();
          blocks++;
          doubles.set(double[l1]!, []);
        }
        doubles.get(double[l1]!)!.push(blk);
      }
    }
    const putList = (blk: number, list: number[]): void => list.forEach((b, i) => v.setUint32(blockOffset(blk) + i * 4, b));
    if (single !== null) putList(ib[0]!, single);
    if (double !== null) {
      putList(ib[1]!, double);
      for (const [blk, list] of doubles) putList(blk, list);
    }
    return { db, ib, blocks };
  };

  let files = 0;
  let directories = 0;
  const emit = (n: Node): void => {
    bitSet(image, ibmap, n.ino);
    if (n.dir) {
      directories++;
      const entries: { ino: number; name: string }[] = [
        { ino: n.ino, name: '.' },
        { ino: (n.parent ?? n).ino, name: '..' },
        ...n.children.map((c) => ({ ino: c.ino, name: c.name })),
      ];
      // pack entries into 512-byte chunks; the last entry of a chunk takes the rest of it
      const chunks: { ino: number; name: string }[][] = [[]];
      let used = 0;
      for (const e of entries) {
        const need = dirsiz(e.name.length);
        if (used + need > DIRBLKSIZ) {
          chunks.push([]);
          used = 0;
        }
        chunks[chunks.length - 1]!.push(e);
        used += need;
      }
      const nblocks = Math.ceil(chunks.length / (FS_BSIZE / DIRBLKSIZ));
      const fields = writeContent(nblocks * FS_BSIZE, (block, off) => {
        for (let c = 0; c < FS_BSIZE / DIRBLKSIZ; c++) {
          const chunk = chunks[(off / DIRBLKSIZ) + c] ?? [];
          const bv = new DataView(block.buffer, block.byteOffset + c * DIRBLKSIZ, DIRBLKSIZ);
          if (chunk.length === 0) {
            bv.setUint32(0, 0);
            bv.setUint16(4, DIRBLKSIZ);
            continue;
          }
          let pos = 0;
          chunk.forEach((e, i) => {
            const reclen = i === chunk.length - 1 ? DIRBLKSIZ - pos : dirsiz(e.name.length);
            bv.setUint32(pos, e.ino);
            bv.setUint16(pos + 4, reclen);
            bv.setUint16(pos + 6, e.name.length);
            for (let k = 0; k < e.name.length; k++) bv.setUint8(pos + 8 + k, e.name.charCodeAt(k));
            pos += reclen;
          });
        }
      });
      const subdirs = n.children.filter((c) => c.dir).length;
      writeInode(image, sb, n.ino, { mode: IFDIR | 0o755, nlink: 2 + subdirs, uid: 0, size: nblocks * FS_BSIZE, atime: 0, mtime: 0, ctime: 0, gen: 1, flags: 0, ...fields });
      for (const c of n.children) emit(c);
    } else {
      files++;
      const byte = n.byte!;
      const fields = writeContent(n.size, (block, off) => {
        const len = Math.min(FS_BSIZE, n.size - off);
        for (let i = 0; i < len; i++) block[i] = byte(off + i);
      });
      writeInode(image, sb, n.ino, { mode: IFREG | 0o644, nlink: 1, uid: 0, size: n.size, atime: 0, mtime: 0, ctime: 0, gen: 1, flags: 0, ...fields });
    }
  };
  emit(root);
  sb.nfree = totalBlocks - nextBlock;
  sb.nifree = ninode - nextIno;
  writeSuperblock(image, sb);
  return { image, superblock: sb, files, directories };
}
