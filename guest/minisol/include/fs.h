/*
 * minisol: the on-disk file system (a small UFS) and its in-core inodes. The host's mkfs and fsck
 * (src/main/core/minisol/fs-layout.ts) implement the same layout; everything is big-endian.
 *
 * Blocks of 4096 bytes (8 sectors). Block 0 boot block, block 1 superblock, then the inode bitmap,
 * the block bitmap, the inode table (128-byte inodes), and data blocks. Directories hold UFS-style
 * variable-length entries that never cross a 512-byte DIRBLKSIZ chunk.
 */
#ifndef _MINISOL_FS_H
#define _MINISOL_FS_H
#include "sys.h"

#define FS_MAGIC      0x4d534653      /* "MSFS" */
#define FS_VERSION    1
#define SBLOCK        1
#define ROOTINO       2
#define FS_ISIZE      128
#define INOPB         (FS_BSIZE / FS_ISIZE)
#define NDADDR        12
#define NIADDR        2
#define NINDIR        (FS_BSIZE / 4)
#define DIRBLKSIZ     512
#define FSCLEAN       1
#define FSACTIVE      0

struct fs {                          /* the superblock, as on disk */
	uint32_t fs_magic;
	uint32_t fs_version;
	uint32_t fs_size;                /* blocks */
	uint32_t fs_ninode;
	uint32_t fs_ibmap;               /* inode bitmap: first block */
	uint32_t fs_nibmap;
	uint32_t fs_bbmap;               /* block bitmap: first block */
	uint32_t fs_nbbmap;
	uint32_t fs_itable;              /* inode table: first block */
	uint32_t fs_nitable;
	uint32_t fs_dstart;              /* first data block */
	uint32_t fs_nfree;               /* free data blocks */
	uint32_t fs_nifree;              /* free inodes */
	uint32_t fs_clean;
	uint32_t fs_time;
	uint32_t fs_rootino;
	uint32_t fs_bsize;
	uint32_t fs_isize;
	char fs_fsmnt[32];
};

#define IFMT   0xf000
#define IFDIR  0x4000
#define IFREG  0x8000

struct dinode {                      /* 128 bytes on disk */
	uint16_t di_mode;
	uint16_t di_nlink;
	uint32_t di_uid;
	uint32_t di_size;
	uint32_t di_blocks;              /* blocks held, indirect blocks included */
	uint32_t di_atime;
	uint32_t di_mtime;
	uint32_t di_ctime;
	uint32_t di_gen;
	uint32_t di_db[NDADDR];
	uint32_t di_ib[NIADDR];
	uint32_t di_flags;
	uint32_t di_spare[9];
};

struct direct {
	uint32_t d_ino;
	uint16_t d_reclen;
	uint16_t d_namlen;
	char d_name[4];                  /* NUL-terminated, padded to 4 bytes */
};
#define DIRSIZ(namlen) (8 + (((namlen) + 1 + 3) & ~3))

/* in-core inode */
#define IREF    0x0001
#define IMOD    0x0002              /* inode changed: write it back */
#define IUPD    0x0004
#define ICHG    0x0008
#define IACC    0x0010
#define IFREE   0x0020              /* on the inode free list */
#define ISTALE  0x0040
#define ILOADING 0x0080             /* being read from disk by ufs_iget */

typedef struct inode {
	vnode_t i_vnode;                 /* must be first */
	struct inode *i_forw;            /* hash chain */
	struct inode *i_freef;           /* free list */
	struct inode *i_freeb;
	ino_t i_number;
	volatile uint_t i_flag;
	kmutex_t i_rwlock;               /* serializes writes and directory changes */
	kmutex_t i_contents;
	struct dinode i_ic;
	u_offset_t i_nextr;              /* next expected read offset (readahead) */
	uint_t i_diroff;                 /* where the last lookup ended */
	uint_t i_ra_hits;
} inode_t;

#define i_mode   i_ic.di_mode
#define i_nlink  i_ic.di_nlink
#define i_size   i_ic.di_size
#define i_blocks i_ic.di_blocks
#define i_db     i_ic.di_db
#define i_ib     i_ic.di_ib
#define i_gen    i_ic.di_gen
#define i_mtime  i_ic.di_mtime

#define ITOV(ip) (&(ip)->i_vnode)
#define VTOI(vp) ((inode_t *)(vp)->v_data)

typedef struct ufsvfs {
	struct fs vfs_fs;                /* in-core superblock */
	kmutex_t vfs_lock;               /* allocation maps and summary counts */
	volatile int vfs_lockfs;         /* nonzero: file system write-locked (quiesce) */
	volatile int vfs_active;         /* operations between ufs_lockfs_begin and _end */
	lock_t vfs_lflock;
	uint_t vfs_brotor;               /* block allocation rotor */
	uint_t vfs_irotor;
	int vfs_dirty;                   /* superblock needs writing */
} ufsvfs_t;

extern ufsvfs_t *ufsvfsp;
extern const vnodeops_t ufs_vnodeops;

#endif
