/*
 * ufs: the file system. In-core inodes (a hash and an LRU free list), block and inode allocation
 * in on-disk bitmaps, block mapping with single and double indirect blocks, directories of
 * UFS-style entries, name lookup through the DNLC (ufs_lookup -> dnlc_lookup, else ufs_dirlook),
 * ufs_create (which truncates an existing file with ufs_itrunc when asked to: the talk's proxy
 * bottleneck, made slow by its synchronous inode write), file data through the page cache
 * (ufs_getpage with readahead chosen by ufs_prefetch_policy, ufs_putpage), the lockfs protocol
 * that quiesces the file system for a clean shutdown, and the fsflush daemon.
 * The on-disk layout is in fs.h; the host's mkfs and fsck implement the same one.
 */
#include "sys.h"
#include "vm.h"
#include "fs.h"

static ufsvfs_t ufsvfs_store;
ufsvfs_t *ufsvfsp;
static vfs_t ufs_vfs;
#define INOHSZ 256
static inode_t *ihash[INOHSZ];
static kmutex_t ih_lock;
static kcondvar_t ih_loadcv;            /* inodes being read (ILOADING) */
static inode_t ifreeh;                   /* LRU of unreferenced inodes: i_freef is the oldest */
static kmem_cache_t *inode_cache;
#define NINODE_MAX 2048
static inode_t *ufs_inodes[NINODE_MAX];
static int ninodes;
static kmutex_t ufs_sync_lock;
static kthread_t *fsflush_thread;
static volatile int fsflush_wanted;
static int fsflush_interval;             /* ticks */
int ufs_ra_seq = 4;                      /* readahead blocks for a sequential reader */
int ufs_ra_rand = 1;                     /* ... and for any other miss */
static uint_t ufs_igen = 1;

struct ufs_stats {
	uint_t creates;
	uint_t truncs;
	uint_t trunc_noop;
	uint_t dirscans;
	uint_t allocs;
	uint_t frees;
	uint_t ireuse;
	uint_t ireuse_flush;
} ufs_stats;

static const vfsops_t ufs_vfsops;
#define IHASH(ino) (&ihash[(ino) & (INOHSZ - 1)])
#define FS (&ufsvfsp->vfs_fs)

int ufs_iget(ino_t ino, inode_t **ipp);
void ufs_iupdat(inode_t *ip, int waitfor);
int ufs_itrunc(inode_t *ip, u_offset_t length);
int ufs_putpage_one(vnode_t *vp, page_t *pp, int flags);

/* ---- lockfs: ufs_lockfs_begin/_end bracket every operation; a write lock quiesces --------- */

static int
ufs_lockfs_begin(ufsvfs_t *uvp)
{
	int s = lock_set_spl(&uvp->vfs_lflock, IPL(IPL_BIO));
	/* an operation already under way in this thread (remove -> inactive) never waits */
	while (uvp->vfs_lockfs && curthread->t_lockfs == 0)
		sleep_spin((void *)&uvp->vfs_lockfs, &uvp->vfs_lflock);
	uvp->vfs_active++;
	curthread->t_lockfs++;
	lock_clear_splx(&uvp->vfs_lflock, s);
	return 0;
}

static void
ufs_lockfs_end(ufsvfs_t *uvp)
{
	int s = lock_set_spl(&uvp->vfs_lflock, IPL(IPL_BIO));
	curthread->t_lockfs--;
	uvp->vfs_active--;
	if (uvp->vfs_active == 0 && uvp->vfs_lockfs)
		wakeup((void *)&uvp->vfs_active);
	lock_clear_splx(&uvp->vfs_lflock, s);
}

/* Write-locks the file system: new operations wait; returns when the running ones are done. */
void
ufs_lockfs_hold(void)
{
	ufsvfs_t *uvp = ufsvfsp;
	int tries = 0;
	int s = lock_set_spl(&uvp->vfs_lflock, IPL(IPL_BIO));
	uvp->vfs_lockfs = 1;
	while (uvp->vfs_active > 0 && tries++ < 50)
		(void)sleep_spin_timed((void *)&uvp->vfs_active, &uvp->vfs_lflock, hz / 20 > 0 ? hz / 20 : 1);
	if (uvp->vfs_active > 0)
		cmn_err(CE_WARN, "ufs: %d operations still active at lockfs", uvp->vfs_active);
	lock_clear_splx(&uvp->vfs_lflock, s);
}

void
ufs_lockfs_release(void)
{
	ufsvfs_t *uvp = ufsvfsp;
	int s = lock_set_spl(&uvp->vfs_lflock, IPL(IPL_BIO));
	uvp->vfs_lockfs = 0;
	wakeup((void *)&uvp->vfs_lockfs);
	lock_clear_splx(&uvp->vfs_lflock, s);
}

/* ---- the superblock and the allocation maps ---------------------------------------------- */

static void
ufs_sbupdate(int waitfor)
{
	buf_t *bp = bread(SBLOCK);
	memset(bp->b_addr, 0, FS_BSIZE);
	memcpy(bp->b_addr, FS, sizeof (struct fs));
	ufsvfsp->vfs_dirty = 0;
	if (waitfor)
		(void)bwrite(bp);
	else
		bdwrite(bp);
}

static int
bit_test(const uchar_t *map, uint_t bit)
{
	return (map[bit >> 3] >> (bit & 7)) & 1;
}

static void
bit_set(uchar_t *map, uint_t bit)
{
	map[bit >> 3] |= (uchar_t)(1u << (bit & 7));
}

static void
bit_clear(uchar_t *map, uint_t bit)
{
	map[bit >> 3] &= (uchar_t)~(1u << (bit & 7));
}

#define BITS_PER_BLOCK (FS_BSIZE * 8)

/* A free data block near the rotor, marked allocated. Returns 0 when the disk is full. */
static daddr_t
ufs_alloc(inode_t *ip)
{
	struct fs *fs = FS;
	uint_t tries, b, start;
	daddr_t found = 0;
	(void)ip;
	KS_INC(ufs_alloc);
	mutex_enter(&ufsvfsp->vfs_lock);
	if (fs->fs_nfree == 0) {
		mutex_exit(&ufsvfsp->vfs_lock);
		return 0;
	}
	start = ufsvfsp->vfs_brotor;
	if (start < fs->fs_dstart || start >= fs->fs_size)
		start = fs->fs_dstart;
	b = start;
	for (tries = 0; tries < fs->fs_size; tries++) {
		buf_t *bp = bread(fs->fs_bbmap + b / BITS_PER_BLOCK);
		uchar_t *map = (uchar_t *)bp->b_addr;
		uint_t end = (b / BITS_PER_BLOCK + 1) * BITS_PER_BLOCK;
		if (end > fs->fs_size)
			end = fs->fs_size;
		for (; b < end; b++) {
			uint_t bit = b % BITS_PER_BLOCK;
			if ((bit & 7) == 0 && map[bit >> 3] == 0xff && b + 8 <= end) {
				b += 7;
				continue;
			}
			if (!bit_test(map, bit)) {
				bit_set(map, bit);
				found = b;
				break;
			}
		}
		if (found != 0) {
			bdwrite(bp);
			break;
		}
		brelse(bp);
		if (b >= fs->fs_size)
			b = fs->fs_dstart;
		if (b == start)
			break;
	}
	if (found != 0) {
		fs->fs_nfree--;
		ufsvfsp->vfs_brotor = found + 1;
		ufsvfsp->vfs_dirty = 1;
		ufs_stats.allocs++;
	}
	mutex_exit(&ufsvfsp->vfs_lock);
	return found;
}

static void
ufs_free(daddr_t blkno)
{
	struct fs *fs = FS;
	buf_t *bp;
	uchar_t *map;
	KS_INC(ufs_free);
	if (blkno < fs->fs_dstart || blkno >= fs->fs_size)
		panic("ufs_free: bad block %u", blkno);
	binval(blkno);
	mutex_enter(&ufsvfsp->vfs_lock);
	bp = bread(fs->fs_bbmap + blkno / BITS_PER_BLOCK);
	map = (uchar_t *)bp->b_addr;
	if (!bit_test(map, blkno % BITS_PER_BLOCK))
		panic("ufs_free: freeing free block %u", blkno);
	bit_clear(map, blkno % BITS_PER_BLOCK);
	bdwrite(bp);
	fs->fs_nfree++;
	ufsvfsp->vfs_dirty = 1;
	ufs_stats.frees++;
	mutex_exit(&ufsvfsp->vfs_lock);
}

static ino_t
ufs_ialloc(void)
{
	struct fs *fs = FS;
	uint_t i, ino;
	ino_t found = 0;
	KS_INC(ufs_ialloc);
	mutex_enter(&ufsvfsp->vfs_lock);
	if (fs->fs_nifree == 0) {
		mutex_exit(&ufsvfsp->vfs_lock);
		return 0;
	}
	for (i = 0; i < fs->fs_ninode && found == 0; i++) {
		buf_t *bp;
		uchar_t *map;
		ino = (ufsvfsp->vfs_irotor + i) % fs->fs_ninode;
		if (ino <= ROOTINO)
			continue;
		bp = bread(fs->fs_ibmap + ino / BITS_PER_BLOCK);
		map = (uchar_t *)bp->b_addr;
		if (!bit_test(map, ino % BITS_PER_BLOCK)) {
			bit_set(map, ino % BITS_PER_BLOCK);
			found = ino;
			bdwrite(bp);
		} else {
			brelse(bp);
		}
	}
	if (found != 0) {
		fs->fs_nifree--;
		ufsvfsp->vfs_irotor = found + 1;
		ufsvfsp->vfs_dirty = 1;
	}
	mutex_exit(&ufsvfsp->vfs_lock);
	return found;
}

static void
ufs_ifree(ino_t ino)
{
	struct fs *fs = FS;
	buf_t *bp;
	uchar_t *map;
	KS_INC(ufs_ifree);
	mutex_enter(&ufsvfsp->vfs_lock);
	bp = bread(fs->fs_ibmap + ino / BITS_PER_BLOCK);
	map = (uchar_t *)bp->b_addr;
	if (!bit_test(map, ino % BITS_PER_BLOCK))
		panic("ufs_ifree: freeing free inode %u", ino);
	bit_clear(map, ino % BITS_PER_BLOCK);
	bdwrite(bp);
	fs->fs_nifree++;
	ufsvfsp->vfs_dirty = 1;
	mutex_exit(&ufsvfsp->vfs_lock);
}

/* ---- block mapping ----------------------------------------------------------------------- */

/* The disk block of logical block lbn, or 0 for a hole. */
static daddr_t
ufs_bmap_read(inode_t *ip, uint_t lbn)
{
	buf_t *bp;
	daddr_t blk;
	if (lbn < NDADDR)
		return ip->i_db[lbn];
	lbn -= NDADDR;
	if (lbn < NINDIR) {
		if (ip->i_ib[0] == 0)
			return 0;
		bp = bread(ip->i_ib[0]);
		blk = ((uint32_t *)bp->b_addr)[lbn];
		brelse(bp);
		return blk;
	}
	lbn -= NINDIR;
	if (lbn >= NINDIR * NINDIR || ip->i_ib[1] == 0)
		return 0;
	bp = bread(ip->i_ib[1]);
	blk = ((uint32_t *)bp->b_addr)[lbn / NINDIR];
	brelse(bp);
	if (blk == 0)
		return 0;
	bp = bread(blk);
	blk = ((uint32_t *)bp->b_addr)[lbn % NINDIR];
	brelse(bp);
	return blk;
}

/* A new zeroed metadata block (indirect or directory). */
static daddr_t
ufs_alloc_meta(inode_t *ip, buf_t **bpp)
{
	daddr_t blk = ufs_alloc(ip);
	buf_t *bp;
	if (blk == 0)
		return 0;
	bp = getblk(blk);
	memset(bp->b_addr, 0, FS_BSIZE);
	bp->b_flags |= B_DONE;
	ip->i_blocks++;
	if (bpp != NULL)
		*bpp = bp;
	else
		bdwrite(bp);
	return blk;
}

/* Entry idx of indirect block blk, allocating a data (or, with meta, indirect) block there. */
static daddr_t
ufs_indir_slot(inode_t *ip, daddr_t blk, uint_t idx, int meta, int *newp)
{
	buf_t *bp = bread(blk);
	uint32_t *slots = (uint32_t *)bp->b_addr;
	daddr_t nb = slots[idx];
	if (nb == 0) {
		nb = meta ? ufs_alloc_meta(ip, NULL) : ufs_alloc(ip);
		if (nb == 0) {
			brelse(bp);
			return 0;
		}
		if (!meta) {
			ip->i_blocks++;
			*newp = 1;
		}
		slots[idx] = nb;
		bdwrite(bp);
	} else {
		brelse(bp);
	}
	return nb;
}

/* The disk block of lbn, allocated if it is a hole (*newp = 1 then). 0: the disk is full. */
static daddr_t
ufs_bmap_write(inode_t *ip, uint_t lbn, int *newp)
{
	daddr_t blk;
	*newp = 0;
	if (lbn < NDADDR) {
		if (ip->i_db[lbn] == 0) {
			blk = ufs_alloc(ip);
			if (blk == 0)
				return 0;
			ip->i_db[lbn] = blk;
			ip->i_blocks++;
			ip->i_flag |= IUPD;
			*newp = 1;
		}
		return ip->i_db[lbn];
	}
	lbn -= NDADDR;
	if (lbn < NINDIR) {
		if (ip->i_ib[0] == 0) {
			if ((ip->i_ib[0] = ufs_alloc_meta(ip, NULL)) == 0)
				return 0;
			ip->i_flag |= IUPD;
		}
		return ufs_indir_slot(ip, ip->i_ib[0], lbn, 0, newp);
	}
	lbn -= NINDIR;
	if (lbn >= NINDIR * NINDIR)
		return 0;
	if (ip->i_ib[1] == 0) {
		if ((ip->i_ib[1] = ufs_alloc_meta(ip, NULL)) == 0)
			return 0;
		ip->i_flag |= IUPD;
	}
	blk = ufs_indir_slot(ip, ip->i_ib[1], lbn / NINDIR, 1, newp);
	if (blk == 0)
		return 0;
	return ufs_indir_slot(ip, blk, lbn % NINDIR, 0, newp);
}

/* ---- inodes ------------------------------------------------------------------------------ */

static daddr_t
itod(ino_t ino)
{
	return FS->fs_itable + ino / INOPB;
}

static void
ifree_remove(inode_t *ip)
{
	ip->i_freeb->i_freef = ip->i_freef;
	ip->i_freef->i_freeb = ip->i_freeb;
	ip->i_freef = ip->i_freeb = NULL;
	ip->i_flag &= ~IFREE;
}

static void
ifree_insert_tail(inode_t *ip)
{
	ip->i_freef = &ifreeh;
	ip->i_freeb = ifreeh.i_freeb;
	ifreeh.i_freeb->i_freef = ip;
	ifreeh.i_freeb = ip;
	ip->i_flag |= IFREE;
}

static void
ihash_remove(inode_t *ip)
{
	inode_t **ipp;
	for (ipp = IHASH(ip->i_number); *ipp != NULL; ipp = &(*ipp)->i_forw) {
		if (*ipp == ip) {
			*ipp = ip->i_forw;
			ip->i_forw = NULL;
			return;
		}
	}
}

/*
 * An inode structure for a new identity: a fresh one while under NINODE_MAX, else the least
 * recently used free one (its dirty pages and inode written back first). ih_lock held.
 */
static inode_t *
ufs_inode_alloc(void)
{
	inode_t *ip;
	int scanned;
	if (ninodes < NINODE_MAX) {
		ip = kmem_cache_alloc(inode_cache, KM_SLEEP);
		bzero(ip, sizeof (*ip));
		mutex_init(&ip->i_rwlock, "i_rwlock");
		mutex_init(&ip->i_contents, "i_contents");
		ufs_inodes[ninodes++] = ip;
		return ip;
	}
	/* prefer a victim without cached pages */
	for (ip = ifreeh.i_freef, scanned = 0; ip != &ifreeh && scanned < 16; ip = ip->i_freef, scanned++)
		if (ITOV(ip)->v_npages == 0)
			break;
	if (ip == &ifreeh || scanned == 16)
		ip = ifreeh.i_freef;
	if (ip == &ifreeh)
		panic("ufs: out of inodes (%d in use)", ninodes);
	ifree_remove(ip);
	ihash_remove(ip);
	ufs_stats.ireuse++;
	if (ITOV(ip)->v_npages > 0) {
		ufs_stats.ireuse_flush++;
		if (ITOV(ip)->v_ndirty > 0) {
			(void)pvn_vplist_dirty_fn(ITOV(ip), 0, ufs_putpage_one, 0);
			pvn_wait_io(ITOV(ip));
		}
		pvn_truncate(ITOV(ip), 0);
	}
	if (ip->i_flag & (IMOD | IUPD | ICHG))
		ufs_iupdat(ip, 0);
	return ip;
}

/*
 * The in-core inode ino, held; read from disk on a miss. The hash lock is not held during the read:
 * the inode goes into the hash marked ILOADING, and other lookups of it wait for the read.
 */
int
ufs_iget(ino_t ino, inode_t **ipp)
{
	inode_t *ip;
	buf_t *bp;
	vnode_t *vp;
	KS_INC(ufs_iget);
	if (ino == 0 || ino >= FS->fs_ninode)
		return EINVAL;
	mutex_enter(&ih_lock);
	for (ip = *IHASH(ino); ip != NULL; ip = ip->i_forw) {
		if (ip->i_number != ino)
			continue;
		vp = ITOV(ip);
		mutex_enter(&vp->v_lock);
		if (ip->i_flag & IFREE) {
			ifree_remove(ip);
			vp->v_count = 1;
		} else {
			vp->v_count++;
		}
		mutex_exit(&vp->v_lock);
		while (ip->i_flag & ILOADING)
			cv_wait(&ih_loadcv, &ih_lock);
		mutex_exit(&ih_lock);
		*ipp = ip;
		return 0;
	}
	KS_INC(ufs_iget_miss);
	ip = ufs_inode_alloc();
	ip->i_number = ino;
	ip->i_flag = ILOADING;
	ip->i_nextr = 0;
	ip->i_diroff = 0;
	vn_init(ITOV(ip), &ufs_vnodeops, VNON, ip);
	ITOV(ip)->v_vfsp = &ufs_vfs;
	ip->i_forw = *IHASH(ino);
	*IHASH(ino) = ip;
	mutex_exit(&ih_lock);
	bp = bread(itod(ino));
	memcpy(&ip->i_ic, bp->b_addr + (ino % INOPB) * FS_ISIZE, sizeof (struct dinode));
	brelse(bp);
	ITOV(ip)->v_type = (ip->i_mode & IFMT) == IFDIR ? VDIR : VREG;
	if (ino == ROOTINO)
		ITOV(ip)->v_flag |= VROOT;
	mutex_enter(&ih_lock);
	ip->i_flag &= ~ILOADING;
	cv_broadcast(&ih_loadcv);
	mutex_exit(&ih_lock);
	*ipp = ip;
	return 0;
}

/* Writes the inode into its block: synchronously (waitfor) or as a delayed write. */
void
ufs_iupdat(inode_t *ip, int waitfor)
{
	buf_t *bp;
	KS_INC(ufs_iupdat);
	bp = bread(itod(ip->i_number));
	memcpy(bp->b_addr + (ip->i_number % INOPB) * FS_ISIZE, &ip->i_ic, sizeof (struct dinode));
	ip->i_flag &= ~(IMOD | IUPD | ICHG | IACC);
	if (waitfor) {
		KS_INC(ufs_iupdat_sync);
		(void)bwrite(bp);
	} else {
		bdwrite(bp);
	}
}

/* Frees the blocks listed in an indirect block from index first on; level 2 = double. */
static uint_t
ufs_indirtrunc(inode_t *ip, daddr_t blk, uint_t first, int level, int *emptyp)
{
	buf_t *bp = bread(blk);
	uint32_t *slots = (uint32_t *)bp->b_addr;
	uint_t i, freed = 0;
	int empty = 1;
	for (i = 0; i < NINDIR; i++) {
		daddr_t b = slots[i];
		if (b == 0)
			continue;
		if (level == 2) {
			uint_t sub = i < first / NINDIR ? NINDIR : (i == first / NINDIR ? first % NINDIR : 0);
			int subempty;
			if (sub >= NINDIR) {
				empty = 0;
				continue;
			}
			freed += ufs_indirtrunc(ip, b, sub, 1, &subempty);
			if (subempty) {
				slots[i] = 0;
				ufs_free(b);
				freed++;
			} else {
				empty = 0;
			}
		} else if (i >= first) {
			slots[i] = 0;
			ufs_free(b);
			freed++;
		} else {
			empty = 0;
		}
	}
	if (empty)
		brelse(bp);
	else
		bdwrite(bp);
	*emptyp = empty;
	return freed;
}

/*
 * Truncates the file to length: destroys its pages beyond it, frees the blocks past it (indirect
 * blocks included), and writes the inode synchronously so that the freed blocks are never
 * reused before the disk says they are free (UFS' ordering rule). The sync write is what makes a
 * proxy that opens its cache files with O_TRUNC spend its time here.
 */
int
ufs_itrunc(inode_t *ip, u_offset_t length)
{
	hrtime_t t0 = gethrtime();
	uint_t keep, lbn, freed = 0;
	int empty;
	KS_INC(ufs_itrunc);
	ufs_stats.truncs++;
	if (length >= ip->i_size) {
		if (length > ip->i_size) {
			ip->i_size = length;
			ip->i_flag |= IUPD | ICHG;
		}
		ufs_stats.trunc_noop++;
		KS_CYCLES(ufs_itrunc_cycles, t0);
		return 0;
	}
	keep = (uint_t)((length + FS_BSIZE - 1) >> FS_BSHIFT);
	pvn_truncate(ITOV(ip), (u_offset_t)keep << FS_BSHIFT);
	if (length & (FS_BSIZE - 1)) {
		/* zero the tail of the last partial block so that a later extension reads zeros */
		page_t *pp = page_lookup(ITOV(ip), length & ~(u_offset_t)(FS_BSIZE - 1));
		if (pp != NULL) {
			uint_t on = length & (FS_BSIZE - 1);
			memset(pp->p_addr + on, 0, FS_BSIZE - on);
			page_setdirty(pp);
			page_unlock(pp);
		}
	}
	for (lbn = keep; lbn < NDADDR; lbn++) {
		if (ip->i_db[lbn] != 0) {
			ufs_free(ip->i_db[lbn]);
			ip->i_db[lbn] = 0;
			freed++;
		}
	}
	if (ip->i_ib[0] != 0) {
		uint_t first = keep > NDADDR ? keep - NDADDR : 0;
		if (first < NINDIR) {
			freed += ufs_indirtrunc(ip, ip->i_ib[0], first, 1, &empty);
			if (empty) {
				ufs_free(ip->i_ib[0]);
				ip->i_ib[0] = 0;
				freed++;
			}
		}
	}
	if (ip->i_ib[1] != 0) {
		uint_t first = keep > NDADDR + NINDIR ? keep - NDADDR - NINDIR : 0;
		freed += ufs_indirtrunc(ip, ip->i_ib[1], first, 2, &empty);
		if (empty) {
			ufs_free(ip->i_ib[1]);
			ip->i_ib[1] = 0;
			freed++;
		}
	}
	ip->i_blocks -= freed;
	ip->i_size = length;
	ip->i_mtime = (uint32_t)lbolt;
	ip->i_flag |= IUPD | ICHG;
	ufs_iupdat(ip, 1);
	KS_ADD(ufs_itrunc_blocks, freed);
	KS_CYCLES(ufs_itrunc_cycles, t0);
	return 0;
}

/* The last reference went away: free a removed file, else park the inode on the free list. */
static void
ufs_inactive(vnode_t *vp)
{
	inode_t *ip = VTOI(vp);
	KS_INC(ufs_inactive);
	if (ip->i_nlink == 0 && ip->i_mode != 0) {
		ufs_lockfs_begin(ufsvfsp);
		mutex_enter(&ip->i_rwlock);
		(void)ufs_itrunc(ip, 0);
		ip->i_mode = 0;
		ip->i_gen++;
		ip->i_flag |= IUPD;
		ufs_iupdat(ip, 0);
		ufs_ifree(ip->i_number);
		mutex_exit(&ip->i_rwlock);
		ufs_lockfs_end(ufsvfsp);
	} else if (ip->i_flag & (IMOD | IUPD | ICHG)) {
		ufs_iupdat(ip, 0);
	}
	mutex_enter(&ih_lock);
	mutex_enter(&vp->v_lock);
	if (vp->v_count > 1) {
		vp->v_count--;
		mutex_exit(&vp->v_lock);
		mutex_exit(&ih_lock);
		return;
	}
	vp->v_count = 0;
	mutex_exit(&vp->v_lock);
	if (ip->i_mode == 0)
		ihash_remove(ip), ip->i_number = 0, ip->i_freef = NULL;
	ifree_insert_tail(ip);
	mutex_exit(&ih_lock);
}

/* ---- directories ------------------------------------------------------------------------- */

static int
dir_namematch(const struct direct *d, const char *name, int namlen)
{
	return d->d_ino != 0 && d->d_namlen == namlen && memcmp(d->d_name, name, (size_t)namlen) == 0;
}

/*
 * The slow path of name lookup: scans the directory's blocks for name. Returns 0 and the inode
 * number (and the entry's offset) or ENOENT.
 */
int
ufs_dirlook(inode_t *dp, const char *name, ino_t *inop, uint_t *offp)
{
	int namlen = (int)strlen(name);
	uint_t off;
	KS_INC(ufs_dirlook);
	ufs_stats.dirscans++;
	for (off = 0; off < dp->i_size; off += FS_BSIZE) {
		daddr_t blk = ufs_bmap_read(dp, off >> FS_BSHIFT);
		buf_t *bp;
		uint_t chunk;
		if (blk == 0)
			continue;
		bp = bread(blk);
		KS_INC(ufs_dirlook_blocks);
		for (chunk = 0; chunk < FS_BSIZE; chunk += DIRBLKSIZ) {
			uint_t pos = 0;
			while (pos < DIRBLKSIZ) {
				struct direct *d = (struct direct *)(bp->b_addr + chunk + pos);
				if (d->d_reclen == 0 || pos + d->d_reclen > DIRBLKSIZ)
					panic("ufs_dirlook: bad directory entry in inode %u at %u", dp->i_number, off + chunk + pos);
				if (dir_namematch(d, name, namlen)) {
					*inop = d->d_ino;
					if (offp != NULL)
						*offp = off + chunk + pos;
					dp->i_diroff = off;
					brelse(bp);
					return 0;
				}
				pos += d->d_reclen;
			}
		}
		brelse(bp);
	}
	return ENOENT;
}

/* Adds name -> ino to directory dp (i_rwlock held): into free space, or a new block. */
static int
ufs_direnter(inode_t *dp, const char *name, ino_t ino)
{
	int namlen = (int)strlen(name);
	uint_t need = DIRSIZ(namlen);
	uint_t off;
	buf_t *bp;
	daddr_t blk;
	int isnew;
	KS_INC(ufs_direnter);
	for (off = 0; off < dp->i_size; off += FS_BSIZE) {
		uint_t chunk;
		blk = ufs_bmap_read(dp, off >> FS_BSHIFT);
		if (blk == 0)
			continue;
		bp = bread(blk);
		for (chunk = 0; chunk < FS_BSIZE; chunk += DIRBLKSIZ) {
			uint_t pos = 0;
			while (pos < DIRBLKSIZ) {
				struct direct *d = (struct direct *)(bp->b_addr + chunk + pos);
				uint_t used = d->d_ino != 0 ? DIRSIZ(d->d_namlen) : 0;
				if (d->d_reclen - used >= need) {
					struct direct *n = d;
					if (used != 0) {
						n = (struct direct *)((char *)d + used);
						n->d_reclen = (uint16_t)(d->d_reclen - used);
						d->d_reclen = (uint16_t)used;
					}
					n->d_ino = ino;
					n->d_namlen = (uint16_t)namlen;
					memset(n->d_name, 0, need - 8);
					memcpy(n->d_name, name, (size_t)namlen);
					bdwrite(bp);
					dp->i_mtime = (uint32_t)lbolt;
					dp->i_flag |= IUPD | ICHG;
					return 0;
				}
				pos += d->d_reclen;
			}
		}
		brelse(bp);
	}
	/* no room: a new directory block of empty chunks */
	blk = ufs_bmap_write(dp, dp->i_size >> FS_BSHIFT, &isnew);
	if (blk == 0)
		return ENOSPC;
	bp = getblk(blk);
	memset(bp->b_addr, 0, FS_BSIZE);
	for (off = 0; off < FS_BSIZE; off += DIRBLKSIZ)
		((struct direct *)(bp->b_addr + off))->d_reclen = DIRBLKSIZ;
	{
		struct direct *n = (struct direct *)bp->b_addr;
		n->d_ino = ino;
		n->d_namlen = (uint16_t)namlen;
		memcpy(n->d_name, name, (size_t)namlen);
	}
	bp->b_flags |= B_DONE;
	bdwrite(bp);
	dp->i_size += FS_BSIZE;
	dp->i_mtime = (uint32_t)lbolt;
	dp->i_flag |= IUPD | ICHG;
	return 0;
}

/* Removes name from directory dp (i_rwlock held); returns its inode number in *inop. */
static int
ufs_dirremove(inode_t *dp, const char *name, ino_t *inop)
{
	int namlen = (int)strlen(name);
	uint_t off;
	KS_INC(ufs_dirremove);
	for (off = 0; off < dp->i_size; off += FS_BSIZE) {
		daddr_t blk = ufs_bmap_read(dp, off >> FS_BSHIFT);
		buf_t *bp;
		uint_t chunk;
		if (blk == 0)
			continue;
		bp = bread(blk);
		for (chunk = 0; chunk < FS_BSIZE; chunk += DIRBLKSIZ) {
			uint_t pos = 0;
			struct direct *prev = NULL;
			while (pos < DIRBLKSIZ) {
				struct direct *d = (struct direct *)(bp->b_addr + chunk + pos);
				if (dir_namematch(d, name, namlen)) {
					*inop = d->d_ino;
					if (prev != NULL)
						prev->d_reclen = (uint16_t)(prev->d_reclen + d->d_reclen);
					else
						d->d_ino = 0;
					bdwrite(bp);
					dp->i_mtime = (uint32_t)lbolt;
					dp->i_flag |= IUPD | ICHG;
					return 0;
				}
				prev = d;
				pos += d->d_reclen;
			}
		}
		brelse(bp);
	}
	return ENOENT;
}

/* True if the directory holds only "." and "..". */
static int
ufs_dirempty(inode_t *dp)
{
	uint_t off;
	for (off = 0; off < dp->i_size; off += FS_BSIZE) {
		daddr_t blk = ufs_bmap_read(dp, off >> FS_BSHIFT);
		buf_t *bp;
		uint_t pos;
		if (blk == 0)
			continue;
		bp = bread(blk);
		for (pos = 0; pos < FS_BSIZE;) {
			struct direct *d = (struct direct *)(bp->b_addr + pos);
			if (d->d_ino != 0 && !(d->d_namlen == 1 && d->d_name[0] == '.') &&
			    !(d->d_namlen == 2 && d->d_name[0] == '.' && d->d_name[1] == '.')) {
				brelse(bp);
				return 0;
			}
			pos += d->d_reclen;
		}
		brelse(bp);
	}
	return 1;
}

/* ---- vnode operations -------------------------------------------------------------------- */

static int
ufs_open(vnode_t **vpp, int flag)
{
	(void)vpp;
	(void)flag;
	return 0;
}

static int
ufs_close(vnode_t *vp, int flag, int count)
{
	(void)vp;
	(void)flag;
	(void)count;
	return 0;
}

/* Name lookup: the DNLC first; on a miss, scan the directory and enter the result. */
static int
ufs_lookup(vnode_t *dvp, const char *nm, vnode_t **vpp)
{
	inode_t *dp = VTOI(dvp), *ip;
	vnode_t *vp;
	ino_t ino;
	int error;
	KS_INC(ufs_lookup);
	if (nm[0] == '\0' || (nm[0] == '.' && nm[1] == '\0')) {
		vn_hold(dvp);
		*vpp = dvp;
		return 0;
	}
	vp = dnlc_lookup(dvp, nm);
	if (vp != NULL) {
		*vpp = vp;
		return 0;
	}
	ufs_lockfs_begin(ufsvfsp);
	mutex_enter(&dp->i_rwlock);
	error = ufs_dirlook(dp, nm, &ino, NULL);
	mutex_exit(&dp->i_rwlock);
	if (error == 0)
		error = ufs_iget(ino, &ip);
	ufs_lockfs_end(ufsvfsp);
	if (error != 0)
		return error;
	*vpp = ITOV(ip);
	dnlc_enter(dvp, nm, *vpp);
	return 0;
}

/* Makes a new inode of the given mode (written back as a delayed write). */
static int
ufs_dirmakeinode(inode_t *dp, uint_t mode, inode_t **ipp)
{
	inode_t *ip;
	ino_t ino = ufs_ialloc();
	int error, i;
	(void)dp;
	if (ino == 0)
		return ENOSPC;
	error = ufs_iget(ino, &ip);
	if (error != 0)
		return error;
	if (ip->i_mode != 0)
		panic("ufs_dirmakeinode: allocated inode %u is in use (mode 0x%x)", ino, ip->i_mode);
	ip->i_mode = (uint16_t)mode;
	ip->i_nlink = (mode & IFMT) == IFDIR ? 2 : 1;
	ip->i_size = 0;
	ip->i_blocks = 0;
	ip->i_gen = ufs_igen++;
	ip->i_mtime = (uint32_t)lbolt;
	ip->i_ic.di_ctime = (uint32_t)lbolt;
	ip->i_ic.di_flags = 0;
	for (i = 0; i < NDADDR; i++)
		ip->i_db[i] = 0;
	ip->i_ib[0] = ip->i_ib[1] = 0;
	ITOV(ip)->v_type = (mode & IFMT) == IFDIR ? VDIR : VREG;
	ufs_iupdat(ip, 0);
	*ipp = ip;
	return 0;
}

/*
 * creat/open(O_CREAT): if the name exists, use it (truncating it when the caller asked for a size,
 * i.e. O_TRUNC); otherwise make a new inode and enter it in the directory.
 */
static int
ufs_create(vnode_t *dvp, const char *nm, vattr_t *vap, int excl, int mode, vnode_t **vpp, int flag)
{
	inode_t *dp = VTOI(dvp), *ip;
	hrtime_t t0 = gethrtime();
	vnode_t *vp;
	ino_t ino;
	int error = 0;
	(void)mode;
	KS_INC(ufs_create);
	ufs_stats.creates++;
	if (nm[0] == '\0' || strlen(nm) >= MAXNAMELEN)
		return EINVAL;
	ufs_lockfs_begin(ufsvfsp);
	mutex_enter(&dp->i_rwlock);
	vp = dnlc_lookup(dvp, nm);
	if (vp == NULL && ufs_dirlook(dp, nm, &ino, NULL) == 0) {
		error = ufs_iget(ino, &ip);
		if (error == 0) {
			vp = ITOV(ip);
			dnlc_enter(dvp, nm, vp);
		}
	}
	if (vp != NULL) {
		mutex_exit(&dp->i_rwlock);
		ip = VTOI(vp);
		if (excl)
			error = EEXIST;
		else if (vp->v_type == VDIR && (flag & O_ACCMODE) != O_RDONLY)
			error = EISDIR;
		else if ((vap->va_mask & AT_SIZE) && vp->v_type == VREG) {
			/* open(O_TRUNC) of an existing file: the proxy's bottleneck */
			hrtime_t tt = gethrtime();
			KS_INC(ufs_create_trunc);
			mutex_enter(&ip->i_rwlock);
			error = ufs_itrunc(ip, vap->va_size);
			mutex_exit(&ip->i_rwlock);
			KS_CYCLES(ufs_create_trunc_cycles, tt);
		}
		if (error != 0)
			vn_rele(vp);
		else
			*vpp = vp;
	} else if (error == 0) {
		error = ufs_dirmakeinode(dp, IFREG | (vap->va_mode & 07777), &ip);
		if (error == 0) {
			error = ufs_direnter(dp, nm, ip->i_number);
			if (error != 0) {
				ip->i_nlink = 0;
				mutex_exit(&dp->i_rwlock);
				vn_rele(ITOV(ip));
			} else {
				mutex_exit(&dp->i_rwlock);
				*vpp = ITOV(ip);
				dnlc_enter(dvp, nm, *vpp);
			}
		} else {
			mutex_exit(&dp->i_rwlock);
		}
	} else {
		mutex_exit(&dp->i_rwlock);
	}
	ufs_lockfs_end(ufsvfsp);
	KS_CYCLES(ufs_create_cycles, t0);
	return error;
}

static int
ufs_remove(vnode_t *dvp, const char *nm)
{
	inode_t *dp = VTOI(dvp), *ip;
	ino_t ino;
	int error;
	ufs_lockfs_begin(ufsvfsp);
	mutex_enter(&dp->i_rwlock);
	error = ufs_dirlook(dp, nm, &ino, NULL);
	if (error == 0)
		error = ufs_iget(ino, &ip);
	if (error == 0) {
		if (ITOV(ip)->v_type == VDIR) {
			error = EISDIR;
		} else {
			error = ufs_dirremove(dp, nm, &ino);
			if (error == 0) {
				dnlc_remove(dvp, nm);
				ip->i_nlink--;
				ip->i_flag |= ICHG;
			}
		}
		mutex_exit(&dp->i_rwlock);
		vn_rele(ITOV(ip));
	} else {
		mutex_exit(&dp->i_rwlock);
	}
	ufs_lockfs_end(ufsvfsp);
	return error;
}

static int
ufs_mkdir(vnode_t *dvp, const char *nm, vattr_t *vap, vnode_t **vpp)
{
	inode_t *dp = VTOI(dvp), *ip;
	ino_t ino;
	buf_t *bp;
	daddr_t blk;
	int error, isnew;
	ufs_lockfs_begin(ufsvfsp);
	mutex_enter(&dp->i_rwlock);
	if (ufs_dirlook(dp, nm, &ino, NULL) == 0) {
		mutex_exit(&dp->i_rwlock);
		ufs_lockfs_end(ufsvfsp);
		return EEXIST;
	}
	error = ufs_dirmakeinode(dp, IFDIR | (vap->va_mode & 07777), &ip);
	if (error != 0) {
		mutex_exit(&dp->i_rwlock);
		ufs_lockfs_end(ufsvfsp);
		return error;
	}
	blk = ufs_bmap_write(ip, 0, &isnew);
	if (blk == 0) {
		ip->i_nlink = 0;
		mutex_exit(&dp->i_rwlock);
		vn_rele(ITOV(ip));
		ufs_lockfs_end(ufsvfsp);
		return ENOSPC;
	}
	bp = getblk(blk);
	memset(bp->b_addr, 0, FS_BSIZE);
	{
		struct direct *d = (struct direct *)bp->b_addr;
		uint_t off;
		d->d_ino = ip->i_number;
		d->d_reclen = DIRSIZ(1);
		d->d_namlen = 1;
		d->d_name[0] = '.';
		d = (struct direct *)(bp->b_addr + DIRSIZ(1));
		d->d_ino = dp->i_number;
		d->d_reclen = DIRBLKSIZ - DIRSIZ(1);
		d->d_namlen = 2;
		d->d_name[0] = '.';
		d->d_name[1] = '.';
		for (off = DIRBLKSIZ; off < FS_BSIZE; off += DIRBLKSIZ)
			((struct direct *)(bp->b_addr + off))->d_reclen = DIRBLKSIZ;
	}
	bp->b_flags |= B_DONE;
	bdwrite(bp);
	ip->i_size = FS_BSIZE;
	ip->i_flag |= IUPD;
	ufs_iupdat(ip, 0);
	error = ufs_direnter(dp, nm, ip->i_number);
	if (error == 0) {
		dp->i_nlink++;
		dp->i_flag |= ICHG;
		*vpp = ITOV(ip);
	} else {
		ip->i_nlink = 0;
		vn_rele(ITOV(ip));
	}
	mutex_exit(&dp->i_rwlock);
	ufs_lockfs_end(ufsvfsp);
	return error;
}

static int
ufs_rmdir(vnode_t *dvp, const char *nm)
{
	inode_t *dp = VTOI(dvp), *ip;
	ino_t ino;
	int error;
	if (strcmp(nm, ".") == 0 || strcmp(nm, "..") == 0)
		return EINVAL;
	ufs_lockfs_begin(ufsvfsp);
	mutex_enter(&dp->i_rwlock);
	error = ufs_dirlook(dp, nm, &ino, NULL);
	if (error == 0)
		error = ufs_iget(ino, &ip);
	if (error != 0) {
		mutex_exit(&dp->i_rwlock);
		ufs_lockfs_end(ufsvfsp);
		return error;
	}
	if (ITOV(ip)->v_type != VDIR)
		error = ENOTDIR;
	else if (!ufs_dirempty(ip))
		error = ENOTEMPTY;
	else
		error = ufs_dirremove(dp, nm, &ino);
	if (error == 0) {
		dnlc_remove(dvp, nm);
		dnlc_purge_vp(ITOV(ip));
		ip->i_nlink = 0;
		dp->i_nlink--;
		dp->i_flag |= ICHG;
	}
	mutex_exit(&dp->i_rwlock);
	vn_rele(ITOV(ip));
	ufs_lockfs_end(ufsvfsp);
	return error;
}

static int
ufs_getattr(vnode_t *vp, vattr_t *vap)
{
	inode_t *ip = VTOI(vp);
	vap->va_type = vp->v_type;
	vap->va_mode = ip->i_mode;
	vap->va_size = ip->i_size;
	vap->va_nlink = ip->i_nlink;
	vap->va_nodeid = ip->i_number;
	vap->va_blocks = ip->i_blocks;
	vap->va_mtime = ip->i_mtime;
	return 0;
}

static int
ufs_setattr(vnode_t *vp, vattr_t *vap)
{
	inode_t *ip = VTOI(vp);
	int error = 0;
	ufs_lockfs_begin(ufsvfsp);
	if (vap->va_mask & AT_MODE) {
		ip->i_mode = (uint16_t)((ip->i_mode & IFMT) | (vap->va_mode & 07777));
		ip->i_flag |= ICHG;
	}
	if ((vap->va_mask & AT_SIZE) && vp->v_type == VREG) {
		mutex_enter(&ip->i_rwlock);
		error = ufs_itrunc(ip, vap->va_size);
		mutex_exit(&ip->i_rwlock);
	}
	ufs_lockfs_end(ufsvfsp);
	return error;
}

/* ftruncate (F_FREESP): the proxy's "truncate only when the new file is smaller" fix uses it. */
static int
ufs_space(vnode_t *vp, u_offset_t len)
{
	vattr_t va;
	va.va_mask = AT_SIZE;
	va.va_size = len;
	return ufs_setattr(vp, &va);
}

/* ---- file data: the page cache ----------------------------------------------------------- */

static void
ufs_page_iodone(buf_t *bp)
{
	page_t *pp = bp->b_pages;
	int error = (bp->b_flags & B_ERROR) != 0;
	if (bp->b_flags & B_READ)
		page_io_done(pp, error);
	else
		page_end_writeback(pp, error);
	pageio_done(bp);
}

/*
 * How many blocks to read ahead after a miss at off. The policy a per-process adaptation replaces
 * ("if pid is P then jump to a custom version"): sequential readers want more, random ones none.
 */
__noinline int
ufs_prefetch_policy(void *ipv, u_offset_t off, int sequential)
{
	inode_t *ip = ipv;
	(void)off;
	if (ip->i_size <= FS_BSIZE)
		return 0;
	return sequential ? ufs_ra_seq : ufs_ra_rand;
}

/* Starts an asynchronous read of one block into a new page (readahead). */
static void
ufs_readahead_block(inode_t *ip, u_offset_t off)
{
	daddr_t blk = ufs_bmap_read(ip, (uint_t)(off >> FS_BSHIFT));
	page_t *pp;
	buf_t *bp;
	if (blk == 0)
		return;
	pp = page_create(ITOV(ip), off, P_IOASYNC);
	if (pp == NULL)
		return;
	bp = pageio_setup(pp, blk, B_READ | B_ASYNC);
	bp->b_iodone = ufs_page_iodone;
	KS_INC(ufs_prefetch_blocks);
	bdev_strategy(bp);
}

/* The page of vp at off (block-aligned), held and valid; reads it (and readahead) on a miss. */
static int
ufs_getpage(vnode_t *vp, u_offset_t off, page_t **ppp, int rw)
{
	inode_t *ip = VTOI(vp);
	page_t *pp;
	daddr_t blk;
	int seq, n, i, error = 0;
	(void)rw;
	KS_INC(ufs_getpage);
	seq = off == ip->i_nextr;
	ip->i_nextr = off + PAGESIZE;
	for (;;) {
		pp = page_lookup(vp, off);
		if (pp != NULL) {
			if (pp->p_flags & P_ERROR) {
				page_unlock(pp);
				return EIO;
			}
			*ppp = pp;
			return 0;
		}
		pp = page_create(vp, off, 0);
		if (pp != NULL)
			break;
	}
	KS_INC(ufs_getpage_miss);
	blk = off < ip->i_size ? ufs_bmap_read(ip, (uint_t)(off >> FS_BSHIFT)) : 0;
	if (blk == 0) {
		memset(pp->p_addr, 0, PAGESIZE);
		page_io_done(pp, 0);
	} else {
		buf_t *bp = pageio_setup(pp, blk, B_READ);
		bp->b_iodone = ufs_page_iodone;
		bdev_strategy(bp);
	}
	n = ufs_prefetch_policy(ip, off, seq);
	if (n > 0)
		KS_INC(ufs_prefetch);
	for (i = 1; i <= n; i++) {
		u_offset_t roff = off + (u_offset_t)i * PAGESIZE;
		if (roff >= ip->i_size)
			break;
		ufs_readahead_block(ip, roff);
	}
	if (blk != 0)
		error = page_wait_unbusy(pp);
	if (error != 0) {
		page_unlock(pp);
		return error;
	}
	*ppp = pp;
	return 0;
}

static int
ufs_read(vnode_t *vp, uio_t *uiop, int ioflag)
{
	inode_t *ip = VTOI(vp);
	int error = 0;
	(void)ioflag;
	KS_INC(ufs_read);
	if (vp->v_type == VDIR)
		return EISDIR;
	ufs_lockfs_begin(ufsvfsp);
	while (uiop->uio_resid > 0 && uiop->uio_offset < ip->i_size) {
		u_offset_t off = uiop->uio_offset & ~(u_offset_t)PAGEOFFSET;
		uint_t on = uiop->uio_offset & PAGEOFFSET;
		uint_t n = MIN(PAGESIZE - on, uiop->uio_resid);
		page_t *pp;
		if (n > ip->i_size - uiop->uio_offset)
			n = ip->i_size - uiop->uio_offset;
		error = ufs_getpage(vp, off, &pp, UIO_READ);
		if (error != 0)
			break;
		(void)uiomove(pp->p_addr + on, n, UIO_READ, uiop);
		page_unlock(pp);
	}
	ufs_lockfs_end(ufsvfsp);
	return error;
}

static int
ufs_write(vnode_t *vp, uio_t *uiop, int ioflag)
{
	inode_t *ip = VTOI(vp);
	int error = 0;
	(void)ioflag;
	KS_INC(ufs_write);
	if (vp->v_type != VREG)
		return EISDIR;
	ufs_lockfs_begin(ufsvfsp);
	mutex_enter(&ip->i_rwlock);
	while (uiop->uio_resid > 0) {
		u_offset_t off = uiop->uio_offset & ~(u_offset_t)PAGEOFFSET;
		uint_t on = uiop->uio_offset & PAGEOFFSET;
		uint_t n = MIN(PAGESIZE - on, uiop->uio_resid);
		page_t *pp = NULL;
		daddr_t blk;
		int isnew;
		if (off >= (u_offset_t)(NDADDR + NINDIR + NINDIR * NINDIR) * FS_BSIZE) {
			error = EFBIG;
			break;
		}
		blk = ufs_bmap_write(ip, (uint_t)(off >> FS_BSHIFT), &isnew);
		if (blk == 0) {
			error = ENOSPC;
			break;
		}
		if (isnew || (on == 0 && n == PAGESIZE) || off >= ip->i_size) {
			/* no need to read the old contents */
			pp = page_lookup(vp, off);
			if (pp == NULL) {
				pp = page_create(vp, off, 0);
				if (pp == NULL)
					continue;
				memset(pp->p_addr, 0, PAGESIZE);
				page_io_done(pp, 0);
			}
		} else {
			error = ufs_getpage(vp, off, &pp, UIO_WRITE);
			if (error != 0)
				break;
		}
		(void)uiomove(pp->p_addr + on, n, UIO_WRITE, uiop);
		page_setdirty(pp);
		page_unlock(pp);
		if (uiop->uio_offset > ip->i_size) {
			ip->i_size = uiop->uio_offset;
			ip->i_flag |= IUPD | ICHG;
		}
	}
	ip->i_mtime = (uint32_t)lbolt;
	ip->i_flag |= IUPD;
	mutex_exit(&ip->i_rwlock);
	ufs_lockfs_end(ufsvfsp);
	return error;
}

/* Writes one page in write-back state (page_start_writeback done) to its block. */
int
ufs_putpage_one(vnode_t *vp, page_t *pp, int flags)
{
	inode_t *ip = VTOI(vp);
	daddr_t blk = ufs_bmap_read(ip, (uint_t)(pp->p_offset >> FS_BSHIFT));
	buf_t *bp;
	if (blk == 0 || pp->p_offset >= ip->i_size) {
		/* beyond the end or a hole: nothing to write */
		page_end_writeback(pp, 0);
		return 0;
	}
	bp = pageio_setup(pp, blk, B_WRITE | ((flags & B_ASYNC_PUT) ? B_ASYNC : 0));
	bp->b_iodone = ufs_page_iodone;
	bdev_strategy(bp);
	return 0;
}

static int
ufs_putpage(vnode_t *vp, u_offset_t off, size_t len, int flags)
{
	int n;
	(void)len;
	KS_INC(ufs_putpage);
	n = pvn_vplist_dirty_fn(vp, off, ufs_putpage_one, flags);
	if (!(flags & B_ASYNC_PUT))
		pvn_wait_io(vp);
	return n > 0 ? 0 : 0;
}

static int
ufs_fsync(vnode_t *vp)
{
	inode_t *ip = VTOI(vp);
	(void)ufs_putpage(vp, 0, 0, 0);
	ufs_iupdat(ip, 1);
	return 0;
}

const vnodeops_t ufs_vnodeops = {
	"ufs",
	ufs_open,
	ufs_close,
	ufs_read,
	ufs_write,
	ufs_getattr,
	ufs_setattr,
	ufs_lookup,
	ufs_create,
	ufs_remove,
	ufs_mkdir,
	ufs_rmdir,
	ufs_inactive,
	ufs_fsync,
	ufs_getpage,
	ufs_putpage,
	ufs_space,
};

/* ---- sync and fsflush -------------------------------------------------------------------- */

/* Takes a reference on an in-core inode found by walking ufs_inodes (ih_lock held). */
static int
ufs_iref_locked(inode_t *ip)
{
	vnode_t *vp = ITOV(ip);
	if (ip->i_number == 0 || ip->i_mode == 0 || (ip->i_flag & ILOADING))
		return 0;
	mutex_enter(&vp->v_lock);
	if (ip->i_flag & IFREE) {
		ifree_remove(ip);
		vp->v_count = 1;
	} else {
		vp->v_count++;
	}
	mutex_exit(&vp->v_lock);
	return 1;
}

/*
 * Writes back dirty pages and inodes, delayed-write buffers and the superblock. With wait, waits
 * for all of it and leaves the file system clean on disk (shutdown).
 */
int
ufs_sync_all(int wait)
{
	int i;
	if (ufsvfsp == NULL)
		return 0;
	mutex_enter(&ufs_sync_lock);
	for (i = 0; i < ninodes; i++) {
		inode_t *ip = ufs_inodes[i];
		int held;
		if (ITOV(ip)->v_ndirty == 0 && !(ip->i_flag & (IMOD | IUPD | ICHG)))
			continue;
		mutex_enter(&ih_lock);
		held = ufs_iref_locked(ip);
		mutex_exit(&ih_lock);
		if (!held)
			continue;
		if (ITOV(ip)->v_ndirty > 0)
			(void)ufs_putpage(ITOV(ip), 0, 0, wait ? 0 : B_ASYNC_PUT);
		if (ip->i_flag & (IMOD | IUPD | ICHG))
			ufs_iupdat(ip, 0);
		vn_rele(ITOV(ip));
	}
	if (wait) {
		FS->fs_clean = FSCLEAN;
		FS->fs_time = (uint32_t)lbolt;
		ufsvfsp->vfs_dirty = 1;
	}
	if (ufsvfsp->vfs_dirty)
		ufs_sbupdate(0);
	bflush(wait);
	if (wait)
		bio_drain();
	mutex_exit(&ufs_sync_lock);
	return 0;
}

void
fsflush_tick(void)
{
	if (fsflush_thread != NULL && fsflush_interval > 0 && lbolt % fsflush_interval == 0) {
		fsflush_wanted = 1;
		wakeup((void *)&fsflush_wanted);
	}
}

/* fsflush: every fsflush_interval ticks, old delayed writes and dirty pages go to disk. */
static void
fsflush(void *arg)
{
	lock_t lk = 0;
	(void)arg;
	for (;;) {
		int s = splr(IPL(IPL_CLOCK));
		lock_set(&lk);
		while (!fsflush_wanted)
			(void)sleep_spin_timed((void *)&fsflush_wanted, &lk, hz);
		fsflush_wanted = 0;
		lock_clear(&lk);
		splx(s);
		if (shutdown_requested || ufsvfsp->vfs_lockfs)
			continue;
		(void)ufs_sync_all(0);
	}
}

void
ufs_start_daemons(void)
{
	fsflush_interval = hz / 5 > 0 ? hz / 5 : 1;
	fsflush_thread = thread_create(NULL, 0, fsflush, NULL, &p0, MINCLSYSPRI + 2, "fsflush");
	thread_run(fsflush_thread);
}

/* ---- mounting ---------------------------------------------------------------------------- */

static int
ufs_root(vfs_t *vfsp, vnode_t **vpp)
{
	vn_hold(vfsp->vfs_root);
	*vpp = vfsp->vfs_root;
	return 0;
}

static int
ufs_vfs_sync(vfs_t *vfsp, int flag)
{
	(void)vfsp;
	return ufs_sync_all(flag);
}

static int
ufs_statvfs(vfs_t *vfsp, uint_t *freeblocks, uint_t *freeinodes)
{
	(void)vfsp;
	*freeblocks = FS->fs_nfree;
	*freeinodes = FS->fs_nifree;
	return 0;
}

static const vfsops_t ufs_vfsops = { ufs_root, ufs_vfs_sync, ufs_statvfs };

int
ufs_mountroot(void)
{
	buf_t *bp;
	inode_t *rip;
	struct fs *fs;
	int error;
	ufsvfsp = &ufsvfs_store;
	mutex_init(&ufsvfsp->vfs_lock, "ufsvfs");
	bp = bread(SBLOCK);
	memcpy(&ufsvfsp->vfs_fs, bp->b_addr, sizeof (struct fs));
	brelse(bp);
	fs = FS;
	if (fs->fs_magic != FS_MAGIC || fs->fs_version != FS_VERSION || fs->fs_bsize != FS_BSIZE || fs->fs_isize != FS_ISIZE)
		panic("ufs_mountroot: no minisol file system on sd0 (magic 0x%x)", fs->fs_magic);
	if (fs->fs_size > sd_capacity() / SECT_PER_BLK)
		panic("ufs_mountroot: file system of %u blocks on a disk of %u", fs->fs_size, sd_capacity() / SECT_PER_BLK);
	if (fs->fs_clean != FSCLEAN)
		cmn_err(CE_WARN, "ufs: root file system was not unmounted cleanly");
	ufsvfsp->vfs_brotor = fs->fs_dstart;
	ufsvfsp->vfs_irotor = ROOTINO + 1;
	ufs_vfs.vfs_op = &ufs_vfsops;
	ufs_vfs.vfs_data = ufsvfsp;
	ufs_vfs.vfs_name = "ufs";
	rootvfs = &ufs_vfs;
	fs->fs_clean = FSACTIVE;
	ufs_sbupdate(1);
	error = ufs_iget(ROOTINO, &rip);
	if (error != 0)
		panic("ufs_mountroot: cannot read the root inode");
	rootdir = ITOV(rip);
	ufs_vfs.vfs_root = rootdir;
	printf("ufs: / mounted: %u blocks (%u free), %u inodes (%u free)\n",
	    fs->fs_size, fs->fs_nfree, fs->fs_ninode, fs->fs_nifree);
	return 0;
}

/* Run once at boot: caches, tunables, mount the root, start fsflush. */
static __noinline __used void
_init(void)
{
	mutex_init(&ih_lock, "ih_lock");
	cv_init(&ih_loadcv);
	mutex_init(&ufs_sync_lock, "ufs_sync");
	ifreeh.i_freef = ifreeh.i_freeb = &ifreeh;
	inode_cache = kmem_cache_create("ufs_inode_cache", sizeof (inode_t), 8);
	if (bootparam[BP_ra_seq] != 0)
		ufs_ra_seq = (int)bootparam[BP_ra_seq] - 1;
	if (bootparam[BP_ra_rand] != 0)
		ufs_ra_rand = (int)bootparam[BP_ra_rand] - 1;
	(void)ufs_mountroot();
	ufs_start_daemons();
	printf("ufs: readahead %d blocks sequential, %d otherwise; inode cache %d\n",
	    ufs_ra_seq, ufs_ra_rand, NINODE_MAX);
}

/* Never called: the root file system stays mounted. Springboard space. */
static __noinline __used int
_fini(void)
{
	if (ufsvfsp != NULL) {
		cmn_err(CE_NOTE, "ufs: busy: %u creates, %u truncations (%u no-ops), %u directory scans",
		    ufs_stats.creates, ufs_stats.truncs, ufs_stats.trunc_noop, ufs_stats.dirscans);
		(void)ufs_sync_all(1);
		return EBUSY;
	}
	return 0;
}

struct modlinkage ufs_modlinkage = { "ufs", _init, _fini, 0, 0 };
