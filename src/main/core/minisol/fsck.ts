// fsck: an independent check of a minisol disk image (the oracle for the guest's file system): superblock, inodes, block maps, directories, link counts, bitmaps, summaries.
import {
  BITS_PER_BLOCK, DIRBLKSIZ, FS_BSIZE, FS_ISIZE, FS_MAGIC, FS_VERSION, FSCLEAN, IFDIR, IFMT, IFREG, NDADDR, NINDIR, ROOTINO,
  bitTest, blockOffset, dirsiz, readInode, readSuperblock, view, type DirEntry, type Dinode, type Superblock,
} from './fs-layout.ts';

export interface FsckReport {
  /** No errors (warnings allowed). */
  clean: boolean;
  errors: string[];
  warnings: string[];
  superblock: Superblock | null;
  stats: { files: number; directories: number; blocksInUse: number; inodesInUse: number; bytes: number };
}

export interface FsckOptions {
  /** Require the superblock's clean flag (set by a clean shutdown). Default true. */
  requireCleanFlag?: boolean;
  /** Stop collecting after this many errors (default 100). */
  maxErrors?: number;
}

/** Checks a disk image. Never throws on a damaged image: everything wrong becomes an error line. */
export function fsck(image: Uint8Array, options: FsckOptions = {}): FsckReport {
  const errors: string[] = [];
  const warnings: string[] = [];
  const maxErrors = options.maxErrors ?? 100;
  const stats = { files: 0, directories: 0, blocksInUse: 0, inodesInUse: 0, bytes: 0 };
  const err = (msg: string): void => {
    if (errors.length < maxErrors) errors.push(msg);
  };
  const report = (sb: Superblock | null): FsckReport => ({ clean: errors.length === 0, errors, warnings, superblock: sb, stats });

  if (image.length < 2 * FS_BSIZE) {
    err(`image of ${image.length} bytes is too small for a superblock`);
    return report(null);
  }
  const sb = readSuperblock(image);
  if (sb.magic !== FS_MAGIC) err(`superblock: magic 0x${sb.magic.toString(16)}, expected 0x${FS_MAGIC.toString(16)}`);
  if (sb.version !== FS_VERSION) err(`superblock: version ${sb.version}, expected ${FS_VERSION}`);
  if (sb.bsize !== FS_BSIZE || sb.isize !== FS_ISIZE) err(`superblock: block size ${sb.bsize} / inode size ${sb.isize}, expected ${FS_BSIZE} / ${FS_ISIZE}`);
  if (sb.size * FS_BSIZE > image.length) err(`superblock: ${sb.size} blocks, but the image holds ${Math.floor(image.length / FS_BSIZE)}`);
  if (sb.ibmap !== 2 || sb.bbmap !== sb.ibmap + sb.nibmap || sb.itable !== sb.bbmap + sb.nbbmap || sb.dstart !== sb.itable + sb.nitable) {
    err(`superblock: inconsistent layout (ibmap ${sb.ibmap}+${sb.nibmap}, bbmap ${sb.bbmap}+${sb.nbbmap}, itable ${sb.itable}+${sb.nitable}, dstart ${sb.dstart})`);
  }
  if (sb.nibmap * BITS_PER_BLOCK < sb.ninode || sb.nbbmap * BITS_PER_BLOCK < sb.size || sb.nitable * (FS_BSIZE / FS_ISIZE) < sb.ninode) {
    err('superblock: bitmaps or inode table too small for the counts');
  }
  if (sb.rootino !== ROOTINO) err(`superblock: root inode ${sb.rootino}, expected ${ROOTINO}`);
  if (options.requireCleanFlag !== false && sb.clean !== FSCLEAN) err('superblock: not marked clean (the file system was not unmounted cleanly)');
  if (errors.length > 0) return report(sb);

  const v = view(image);
  const blockOwner = new Map<number, number>();
  const inodeUsed = new Uint8Array(sb.ninode);
  const refs = new Uint32Array(sb.ninode);
  const dirInodes: number[] = [];
  const inodes = new Map<number, Dinode>();
  inodeUsed[0] = 1;
  inodeUsed[1] = 1;

  const claim = (blk: number, ino: number, what: string): boolean => {
    if (blk < sb.dstart || blk >= sb.size) {
      err(`inode ${ino}: ${what} block ${blk} outside the data area [${sb.dstart}, ${sb.size})`);
      return false;
    }
    const prev = blockOwner.get(blk);
    if (prev !== undefined) {
      err(`inode ${ino}: ${what} block ${blk} is also used by inode ${prev}`);
      return false;
    }
    blockOwner.set(blk, ino);
    return true;
  };

  // pass 1: inodes and their blocks
  for (let ino = ROOTINO; ino < sb.ninode; ino++) {
    const d = readInode(image, sb, ino);
    if (d.mode === 0) {
      if (d.nlink !== 0 || d.size !== 0 || d.blocks !== 0 || d.db.some((b) => b !== 0) || d.ib.some((b) => b !== 0)) {
        err(`inode ${ino}: free (mode 0) but has links ${d.nlink}, size ${d.size} or blocks`);
      }
      continue;
    }
    const type = d.mode & IFMT;
    if (type !== IFDIR && type !== IFREG) {
      err(`inode ${ino}: unknown type in mode 0o${d.mode.toString(8)}`);
      continue;
    }
    inodeUsed[ino] = 1;
    inodes.set(ino, d);
    stats.inodesInUse++;
    if (type === IFDIR) {
      stats.directories++;
      dirInodes.push(ino);
      if (d.size % FS_BSIZE !== 0) err(`inode ${ino}: directory size ${d.size} is not a multiple of ${FS_BSIZE}`);
    } else {
      stats.files++;
      stats.bytes += d.size;
    }
    const sizeBlocks = Math.ceil(d.size / FS_BSIZE);
    let held = 0;
    for (let i = 0; i < NDADDR; i++) {
      const b = d.db[i]!;
      if (b === 0) continue;
      if (i >= sizeBlocks) err(`inode ${ino}: direct block ${i} (${b}) beyond the size ${d.size}`);
      if (claim(b, ino, 'data')) held++;
    }
    const indirect = (blk: number, level: number, firstLbn: number): void => {
      if (!claim(blk, ino, level === 2 ? 'double indirect' : 'indirect')) return;
      held++;
      let any = false;
      for (let i = 0; i < NINDIR; i++) {
        const b = v.getUint32(blockOffset(blk) + i * 4);
        if (b === 0) continue;
        any = true;
        if (level === 2) {
          indirect(b, 1, firstLbn + i * NINDIR);
        } else {
          if (firstLbn + i >= sizeBlocks) err(`inode ${ino}: block ${firstLbn + i} (${b}) beyond the size ${d.size}`);
          if (claim(b, ino, 'data')) held++;
        }
      }
      if (!any) err(`inode ${ino}: ${level === 2 ? 'double ' : ''}indirect block ${blk} holds no blocks`);
    };
    if (d.ib[0]) indirect(d.ib[0], 1, NDADDR);
    if (d.ib[1]) indirect(d.ib[1], 2, NDADDR + NINDIR);
    if (held !== d.blocks) err(`inode ${ino}: holds ${held} blocks but di_blocks says ${d.blocks}`);
    stats.blocksInUse += held;
  }

  // pass 2: directories
  const readDir = (ino: number, d: Dinode): DirEntry[] | null => {
    const out: DirEntry[] = [];
    for (let lbn = 0; lbn * FS_BSIZE < d.size; lbn++) {
      let blk = 0;
      if (lbn < NDADDR) blk = d.db[lbn]!;
      else if (lbn < NDADDR + NINDIR && d.ib[0]) blk = v.getUint32(blockOffset(d.ib[0]) + (lbn - NDADDR) * 4);
      if (blk === 0) {
        err(`directory ${ino}: hole at block ${lbn}`);
        return null;
      }
      for (let chunk = 0; chunk < FS_BSIZE; chunk += DIRBLKSIZ) {
        let pos = 0;
        while (pos < DIRBLKSIZ) {
          const o = blockOffset(blk) + chunk + pos;
          const eino = v.getUint32(o);
          const reclen = v.getUint16(o + 4);
          const namlen = v.getUint16(o + 6);
          const where = `directory ${ino} offset ${lbn * FS_BSIZE + chunk + pos}`;
          if (reclen < 8 || reclen % 4 !== 0 || pos + reclen > DIRBLKSIZ) {
            err(`${where}: bad record length ${reclen}`);
            return null;
          }
          if (eino !== 0) {
            if (dirsiz(namlen) > reclen) {
              err(`${where}: name length ${namlen} does not fit record length ${reclen}`);
              return null;
            }
            const bytes = image.subarray(o + 8, o + 8 + namlen);
            if (bytes.includes(0) || image[o + 8 + namlen] !== 0) err(`${where}: name not NUL-terminated at its length ${namlen}`);
            out.push({ ino: eino, name: String.fromCharCode(...bytes), offset: lbn * FS_BSIZE + chunk + pos, reclen });
          }
          pos += reclen;
        }
      }
    }
    return out;
  };

  const parentOf = new Map<number, number>();
  for (const ino of dirInodes) {
    const entries = readDir(ino, inodes.get(ino)!);
    if (entries === null) continue;
    const names = new Set<string>();
    let dot = 0;
    let dotdot = 0;
    for (const e of entries) {
      if (names.has(e.name)) err(`directory ${ino}: name "${e.name}" appears twice`);
      names.add(e.name);
      if (e.ino >= sb.ninode || !inodeUsed[e.ino] || e.ino < ROOTINO) {
        err(`directory ${ino}: "${e.name}" refers to ${e.ino >= sb.ninode ? 'out-of-range' : 'unallocated'} inode ${e.ino}`);
        continue;
      }
      refs[e.ino]!++;
      if (e.name === '.') {
        dot++;
        if (e.ino !== ino) err(`directory ${ino}: "." refers to ${e.ino}`);
      } else if (e.name === '..') {
        dotdot++;
        parentOf.set(ino, e.ino);
      } else if (e.name.includes('/') || e.name.length === 0) {
        err(`directory ${ino}: bad name "${e.name}"`);
      } else if (inodes.get(e.ino)!.mode & IFDIR && (inodes.get(e.ino)!.mode & IFMT) === IFDIR) {
        // a subdirectory: its ".." must point back here (checked below)
      }
    }
    if (dot !== 1 || dotdot !== 1) err(`directory ${ino}: ${dot} "." and ${dotdot} ".." entries`);
  }
  // subdirectories' ".." and reachability from the root
  const reachable = new Uint8Array(sb.ninode);
  const stack = [ROOTINO];
  reachable[ROOTINO] = 1;
  while (stack.length > 0) {
    const dir = stack.pop()!;
    const d = inodes.get(dir);
    if (d === undefined || (d.mode & IFMT) !== IFDIR) continue;
    const entries = readDir(dir, d) ?? [];
    for (const e of entries) {
      if (e.name === '.' || e.name === '..' || e.ino >= sb.ninode || !inodes.has(e.ino)) continue;
      const child = inodes.get(e.ino)!;
      if ((child.mode & IFMT) === IFDIR) {
        if (parentOf.get(e.ino) !== dir) err(`directory ${e.ino} ("${e.name}" in ${dir}): ".." refers to ${parentOf.get(e.ino)}`);
        if (reachable[e.ino]) {
          err(`directory ${e.ino} is linked from more than one directory`);
          continue;
        }
      }
      if (!reachable[e.ino]) {
        reachable[e.ino] = 1;
        stack.push(e.ino);
      }
    }
  }
  if (parentOf.get(ROOTINO) !== ROOTINO) err(`root directory: ".." refers to ${parentOf.get(ROOTINO)}`);
  for (const [ino, d] of inodes) {
    if (!reachable[ino]) err(`inode ${ino} (${(d.mode & IFMT) === IFDIR ? 'directory' : 'file'}, ${d.size} bytes) is not reachable from the root`);
    if (refs[ino] !== d.nlink) err(`inode ${ino}: link count ${d.nlink}, but ${refs[ino]} directory entries refer to it`);
  }

  // pass 3: bitmaps and summaries
  let freeBlocks = 0;
  for (let b = 0; b < sb.size; b++) {
    const marked = bitTest(image, sb.bbmap, b);
    const used = b < sb.dstart || blockOwner.has(b);
    if (marked && !used) err(`block ${b}: marked allocated but no inode holds it`);
    if (!marked && used) err(`block ${b}: in use${b < sb.dstart ? ' (metadata)' : ` by inode ${blockOwner.get(b)}`} but marked free`);
    if (!marked) freeBlocks++;
  }
  let freeInodes = 0;
  for (let ino = 0; ino < sb.ninode; ino++) {
    const marked = bitTest(image, sb.ibmap, ino);
    if (marked && !inodeUsed[ino]) err(`inode ${ino}: marked allocated but free`);
    if (!marked && inodeUsed[ino]) err(`inode ${ino}: in use but marked free`);
    if (!marked) freeInodes++;
  }
  if (freeBlocks !== sb.nfree) err(`superblock: ${sb.nfree} free blocks recorded, ${freeBlocks} counted`);
  if (freeInodes !== sb.nifree) err(`superblock: ${sb.nifree} free inodes recorded, ${freeInodes} counted`);
  return report(sb);
}

/** The contents of the file at `path` (absolute), or null if there is none. For host-side checks. */
export function readFileFromImage(image: Uint8Array, path: string): Uint8Array | null {
  const sb = readSuperblock(image);
  const v = view(image);
  let ino = ROOTINO;
  const blockOf = (d: Dinode, lbn: number): number => {
    if (lbn < NDADDR) return d.db[lbn]!;
    lbn -= NDADDR;
    if (lbn < NINDIR) return d.ib[0] ? v.getUint32(blockOffset(d.ib[0]) + lbn * 4) : 0;
    lbn -= NINDIR;
    if (!d.ib[1]) return 0;
    const l2 = v.getUint32(blockOffset(d.ib[1]) + Math.floor(lbn / NINDIR) * 4);
    return l2 ? v.getUint32(blockOffset(l2) + (lbn % NINDIR) * 4) : 0;
  };
  const contents = (d: Dinode): Uint8Array => {
    const out = new Uint8Array(d.size);
    for (let off = 0; off < d.size; off += FS_BSIZE) {
      const b = blockOf(d, off / FS_BSIZE);
      if (b) out.set(image.subarray(blockOffset(b), blockOffset(b) + Math.min(FS_BSIZE, d.size - off)), off);
    }
    return out;
  };
  for (const comp of path.split('/').filter((c) => c.length > 0)) {
    const d = readInode(image, sb, ino);
    if ((d.mode & IFMT) !== IFDIR) return null;
    const dir = contents(d);
    const dv = new DataView(dir.buffer);
    let found = 0;
    for (let o = 0; o < dir.length && found === 0;) {
      const eino = dv.getUint32(o);
      const reclen = dv.getUint16(o + 4);
      const namlen = dv.getUint16(o + 6);
      if (reclen === 0) break;
      if (eino !== 0 && String.fromCharCode(...dir.subarray(o + 8, o + 8 + namlen)) === comp) found = eino;
      o += reclen;
    }
    if (found === 0) return null;
    ino = found;
  }
  const d = readInode(image, sb, ino);
  return (d.mode & IFMT) === IFREG ? contents(d) : null;
}
