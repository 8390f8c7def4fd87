// mkfs builds a consistent file system; fsck finds what is wrong with damaged ones.
import { describe, expect, it } from 'vitest';
import { resolveConfig } from './config.ts';
import { dataFileByte, proxyLayout, proxyObjectByte, proxyObjectSize } from './contents.ts';
import { fsck, readFileFromImage } from './fsck.ts';
import { FS_BSIZE, bitSet, bitTest, blockOffset, readInode, readSuperblock, writeInode, writeSuperblock, view } from './fs-layout.ts';
import { mkfs, proxyCachePath } from './mkfs.ts';

const small = resolveConfig({ disk: { sizeMB: 8 }, proxy: { urls: 64, procs: 2 }, readers: { files: 2, fileSize: 40 * 4096 + 100 } });

describe('mkfs', () => {
  it('makes a clean file system with the workloads\' files', () => {
    const { image, superblock, files, directories } = mkfs(small);
    const report = fsck(image);
    expect(report.errors).toEqual([]);
    expect(report.clean).toBe(true);
    expect(superblock.size).toBe(8 * 256);
    expect(directories).toBe(1 + 1 + 16 + 1 + 1 + 10 + 1 + 1); // / cache cache/0x data mirror mirror/sN tmp etc
    const { slotsPerWorker } = proxyLayout(64, 2);
    expect(files).toBe(2 * slotsPerWorker + 2 + 1);
    expect(report.stats.files).toBe(files);
  });

  it('writes the contents the guest expects (indirect blocks included)', () => {
    const { image } = mkfs(small);
    const f1 = readFileFromImage(image, '/data/f1')!;
    expect(f1.length).toBe(40 * 4096 + 100);
    for (const off of [0, 4095, 12 * 4096, 40 * 4096 + 99]) expect(f1[off]).toBe(dataFileByte(1, off));
    const { urlsPerWorker, slotsPerWorker } = proxyLayout(64, 2);
    const file = slotsPerWorker + 3; // worker 1, slot 3
    const obj = readFileFromImage(image, proxyCachePath(file))!;
    const url = urlsPerWorker + 3;
    expect(obj.length).toBe(proxyObjectSize(url, small.proxy.meanSize, 0));
    expect(obj[obj.length - 1]).toBe(proxyObjectByte(url, obj.length - 1));
    expect(readFileFromImage(image, '/nope')).toBeNull();
    expect(new TextDecoder().decode(readFileFromImage(image, '/etc/motd')!)).toContain('minisol');
  });
});

describe('fsck', () => {
  const fresh = (): Uint8Array => mkfs(small).image;

  it('requires the clean flag unless told not to', () => {
    const image = fresh();
    const sb = readSuperblock(image);
    writeSuperblock(image, { ...sb, clean: 0 });
    expect(fsck(image).errors).toEqual(['superblock: not marked clean (the file system was not unmounted cleanly)']);
    expect(fsck(image, { requireCleanFlag: false }).clean).toBe(true);
  });

  it('finds a block used twice, a wrong block count and bitmap mismatches', () => {
    const image = fresh();
    const sb = readSuperblock(image);
    const a = readInode(image, sb, 2 + 30);
    const b = readInode(image, sb, 2 + 31);
    writeInode(image, sb, 2 + 31, { ...b, db: [a.db[0]!, ...b.db.slice(1)] });
    const errors = fsck(image).errors.join('\n');
    expect(errors).toMatch(/is also used by inode/);
    expect(errors).toMatch(/marked allocated but no inode holds it/);
  });

  it('finds blocks beyond the size after a bad truncation, and wrong link counts', () => {
    const image = fresh();
    const sb = readSuperblock(image);
    const d = readInode(image, sb, 2 + 30);
    writeInode(image, sb, 2 + 30, { ...d, size: 10, nlink: 2 });
    const errors = fsck(image).errors.join('\n');
    expect(errors).toMatch(/beyond the size 10/);
    expect(errors).toMatch(/link count 2, but 1 directory entries/);
  });

  it('finds an unreachable inode, a free-count mismatch and a corrupt directory', () => {
    const image = fresh();
    const sb = readSuperblock(image);
    // an allocated inode nobody names
    const ino = sb.ninode - 1;
    bitSet(image, sb.ibmap, ino);
    writeInode(image, sb, ino, { mode: 0x8000 | 0o644, nlink: 1, uid: 0, size: 0, blocks: 0, atime: 0, mtime: 0, ctime: 0, gen: 1, db: new Array(12).fill(0), ib: [0, 0], flags: 0 });
    expect(bitTest(image, sb.ibmap, ino)).toBe(true);
    const e1 = fsck(image).errors.join('\n');
    expect(e1).toMatch(/not reachable from the root/);
    expect(e1).toMatch(/free inodes recorded/);
    // a directory record length that runs off its chunk
    const root = readInode(image, sb, 2);
    view(image).setUint16(blockOffset(root.db[0]!) + 4, 2000);
    expect(fsck(fresh()).clean).toBe(true);
    expect(fsck(image).errors.join('\n')).toMatch(/bad record length 2000/);
  });

  it('does not throw on garbage', () => {
    expect(fsck(new Uint8Array(100)).clean).toBe(false);
    const junk = new Uint8Array(64 * FS_BSIZE).map((_, i) => (i * 131) & 0xff);
    expect(fsck(junk).clean).toBe(false);
  });
});
