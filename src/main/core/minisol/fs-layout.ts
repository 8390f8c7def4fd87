// The minisol file system's on-disk layout (guest/minisol/include/fs.h): superblock, inodes, bitmaps, directory entries; big-endian.

export const FS_BSIZE = 4096;
export const SECTOR = 512;
export const SECT_PER_BLK = FS_BSIZE / SECTOR;
export const FS_MAGIC = 0x4d534653;
export const FS_VERSION = 1;
export const SBLOCK = 1;
export const ROOTINO = 2;
export const FS_ISIZE = 128;
export const INOPB = FS_BSIZE / FS_ISIZE;
export const NDADDR = 12;
export const NIADDR = 2;
export const NINDIR = FS_BSIZE / 4;
export const DIRBLKSIZ = 512;
export const BITS_PER_BLOCK = FS_BSIZE * 8;
export const FSCLEAN = 1;
export const IFMT = 0xf000;
export const IFDIR = 0x4000;
export const IFREG = 0x8000;

export interface Superblock {
  magic: number;
  version: number;
  size: number;
  ninode: number;
  ibmap: number;
  nibmap: number;
  bbmap: number;
  nbbmap: number;
  itable: number;
  nitable: number;
  dstart: number;
  nfree: number;
  nifree: number;
  clean: number;
  time: number;
  rootino: number;
  bsize: number;
  isize: number;
  fsmnt: string;
}

export interface Dinode {
  mode: number;
  nlink: number;
  uid: number;
  size: number;
  blocks: number;
  atime: number;
  mtime: number;
  ctime: number;
  gen: number;
  db: number[];
  ib: number[];
  flags: number;
}

export interface DirEntry {
  ino: number;
  name: string;
  /** Byte offset of the entry in the directory. */
  offset: number;
  reclen: number;
}

const SB_FIELDS = ['magic', 'version', 'size', 'ninode', 'ibmap', 'nibmap', 'bbmap', 'nbbmap', 'itable', 'nitable', 'dstart', 'nfree', 'nifree', 'clean', 'time', 'rootino', 'bsize', 'isize'] as const;

export function view(image: Uint8Array): DataView {
  return new DataView(image.buffer, image.byteOffset, image.byteLength);
}

export function blockOffset(blk: number): number {
  return blk * FS_BSIZE;
}

export function readSuperblock(image: Uint8Array): Superblock {
  const v = view(image);
  const base = blockOffset(SBLOCK);
  const sb: Record<string, number | string> = {};
  SB_FIELDS.forEach((f, i) => (sb[f] = v.getUint32(base + i * 4)));
  const name = image.subarray(base + SB_FIELDS.length * 4, base + SB_FIELDS.length * 4 + 32);
  const end = name.indexOf(0);
  sb.fsmnt = String.fromCharCode(...name.subarray(0, end < 0 ? 32 : end));
  return sb as unknown as Superblock;
}

export function writeSuperblock(image: Uint8Array, sb: Superblock): void {
  const v = view(image);
  const base = blockOffset(SBLOCK);
  image.fill(0, base, base + FS_BSIZE);
  SB_FIELDS.forEach((f, i) => v.setUint32(base + i * 4, sb[f] >>> 0));
  for (let i = 0; i < Math.min(31, sb.fsmnt.length); i++) image[base + SB_FIELDS.length * 4 + i] = sb.fsmnt.charCodeAt(i);
}

export function inodeOffset(sb: Superblock, ino: number): number {
  return blockOffset(sb.itable + Math.floor(ino / INOPB)) + (ino % INOPB) * FS_ISIZE;
}

export function readInode(image: Uint8Array, sb: Superblock, ino: number): Dinode {
  const v = view(image);
  const o = inodeOffset(sb, ino);
  const db: number[] = [];
  for (let i = 0; i < NDADDR; i++) db.push(v.getUint32(o + 32 + i * 4));
  return {
    mode: v.getUint16(o), nlink: v.getUint16(o + 2), uid: v.getUint32(o + 4), size: v.getUint32(o + 8),
    blocks: v.getUint32(o + 12), atime: v.getUint32(o + 16), mtime: v.getUint32(o + 20), ctime: v.getUint32(o + 24),
    gen: v.getUint32(o + 28), db, ib: [v.getUint32(o + 80), v.getUint32(o + 84)], flags: v.getUint32(o + 88),
  };
}

export function writeInode(image: Uint8Array, sb: Superblock, ino: number, d: Dinode): void {
  const v = view(image);
  const o = inodeOffset(sb, ino);
  image.fill(0, o, o + FS_ISIZE);
  v.setUint16(o, d.mode);
  v.setUint16(o + 2, d.nlink);
  v.setUint32(o + 4, d.uid);
  v.setUint32(o + 8, d.size);
  v.setUint32(o + 12, d.blocks);
  v.setUint32(o + 16, d.atime);
  v.setUint32(o + 20, d.mtime);
  v.setUint32(o + 24, d.ctime);
  v.setUint32(o + 28, d.gen);
  d.db.forEach((b, i) => v.setUint32(o + 32 + i * 4, b));
  v.setUint32(o + 80, d.ib[0] ?? 0);
  v.setUint32(o + 84, d.ib[1] ?? 0);
  v.setUint32(o + 88, d.flags);
}

export function bitTest(image: Uint8Array, firstBlock: number, bit: number): boolean {
  const byte = image[blockOffset(firstBlock) + (bit >>> 3)]!;
  return ((byte >>> (bit & 7)) & 1) === 1;
}

export function bitSet(image: Uint8Array, firstBlock: number, bit: number): void {
  image[blockOffset(firstBlock) + (bit >>> 3)]! |= 1 << (bit & 7);
}

/** DIRSIZ(namlen): the bytes an entry with that name needs. */
export function dirsiz(namlen: number): number {
  return 8 + ((namlen + 1 + 3) & ~3);
}

/** Every data block of a file in logical order (0 for holes), with its indirect blocks separately. */
export function fileBlocks(image: Uint8Array, d: Dinode, sizeLimitBlocks?: number): { data: number[]; indirect: number[] } {
  const v = view(image);
  const nblocks = sizeLimitBlocks ?? Math.ceil(d.size / FS_BSIZE);
  const data: number[] = [];
  const indirect: number[] = [];
  for (let i = 0; i < NDADDR; i++) data.push(d.db[i]!);
  const readIndirect = (blk: number): number[] => {
    const out: number[] = [];
    for (let i = 0; i < NINDIR; i++) out.push(v.getUint32(blockOffset(blk) + i * 4));
    return out;
  };
  if (d.ib[0]) {
    indirect.push(d.ib[0]);
    data.push(...readIndirect(d.ib[0]));
  } else {
    for (let i = 0; i < NINDIR && data.length < nblocks; i++) data.push(0);
  }
  if (d.ib[1]) {
    indirect.push(d.ib[1]);
    for (const l2 of readIndirect(d.ib[1])) {
      if (l2) {
        indirect.push(l2);
        data.push(...readIndirect(l2));
      } else {
        for (let i = 0; i < NINDIR; i++) data.push(0);
      }
      if (data.length > nblocks + NINDIR * 2) break;
    }
  }
  return { data, indirect };
}
