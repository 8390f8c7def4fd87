/*
 * genunix part: the buffer cache for file-system metadata (superblock, bitmaps, inodes,
 * directories, indirect blocks): getblk/bread/bwrite/bdwrite/bawrite/brelse, biowait/biodone,
 * delayed-write flushing, and page I/O headers. One spin lock at IPL_BIO guards the hash and the
 * free list: biodone runs at disk interrupt level.
 */

#define BUFHSZ 128
static buf_t *bhash[BUFHSZ];
static buf_t bfreelist;                 /* LRU: av_forw is the oldest */
static lock_t bio_lock;
static buf_t *buf_headers;
static int nbuf;
static volatile int bfreelist_wanted;
static volatile int bio_inflight;
#define BHASH(blkno) (&bhash[(blkno) & (BUFHSZ - 1)])

void
binit(int n)
{
	int i;
	if (n < 16)
		n = 16;
	nbuf = n;
	buf_headers = kmem_zalloc(sizeof (buf_t) * (size_t)n, KM_SLEEP);
	bfreelist.av_forw = bfreelist.av_back = &bfreelist;
	for (i = 0; i < n; i++) {
		buf_t *bp = &buf_headers[i];
		bp->b_addr = page_kmem_alloc(1);
		if (bp->b_addr == NULL)
			panic("binit: no memory for buffer %d", i);
		bp->b_blkno = (daddr_t)-1;
		bp->b_flags = B_INVAL;
		bp->av_forw = &bfreelist;
		bp->av_back = bfreelist.av_back;
		bfreelist.av_back->av_forw = bp;
		bfreelist.av_back = bp;
	}
}

static void
bhash_remove(buf_t *bp)
{
	buf_t **bpp;
	if (bp->b_blkno == (daddr_t)-1)
		return;
	for (bpp = BHASH(bp->b_blkno); *bpp != NULL; bpp = &(*bpp)->b_forw) {
		if (*bpp == bp) {
			*bpp = bp->b_forw;
			bp->b_forw = NULL;
			return;
		}
	}
}

static void
bhash_insert(buf_t *bp)
{
	buf_t **head = BHASH(bp->b_blkno);
	bp->b_forw = *head;
	*head = bp;
}

static buf_t *
bhash_find(daddr_t blkno)
{
	buf_t *bp;
	for (bp = *BHASH(blkno); bp != NULL; bp = bp->b_forw)
		if (bp->b_blkno == blkno && !(bp->b_flags & (B_STALE | B_INVAL)))
			return bp;
	return NULL;
}

static void
bfree_remove(buf_t *bp)
{
	bp->av_back->av_forw = bp->av_forw;
	bp->av_forw->av_back = bp->av_back;
	bp->av_forw = bp->av_back = NULL;
}

/*
 * The buffer for blkno, busy (owned by the caller). B_DONE tells whether its contents are valid.
 * Waits while another thread owns it; recycles the least recently used free buffer otherwise,
 * writing it out first if it holds a delayed write.
 */
buf_t *
getblk(daddr_t blkno)
{
	buf_t *bp;
	int s;
	KS_INC(getblk);
	s = lock_set_spl(&bio_lock, IPL(IPL_BIO));
	for (;;) {
		bp = bhash_find(blkno);
		if (bp != NULL) {
			if (bp->b_flags & B_BUSY) {
				bp->b_flags |= B_WANTED;
				sleep_spin(bp, &bio_lock);
				continue;
			}
			bp->b_flags |= B_BUSY;
			bfree_remove(bp);
			break;
		}
		bp = bfreelist.av_forw;
		if (bp == &bfreelist) {
			bfreelist_wanted = 1;
			sleep_spin(&bfreelist, &bio_lock);
			continue;
		}
		bfree_remove(bp);
		if (bp->b_flags & B_DELWRI) {
			bp->b_flags = (bp->b_flags | B_BUSY | B_ASYNC) & ~B_DELWRI;
			lock_clear_splx(&bio_lock, s);
			bp->b_flags &= ~(B_READ | B_DONE | B_ERROR);
			bdev_strategy(bp);
			s = lock_set_spl(&bio_lock, IPL(IPL_BIO));
			continue;
		}
		bhash_remove(bp);
		bp->b_blkno = blkno;
		bp->b_flags = B_BUSY;
		bp->b_error = 0;
		bp->b_resid = 0;
		bhash_insert(bp);
		break;
	}
	lock_clear_splx(&bio_lock, s);
	bp->b_bcount = FS_BSIZE;
	bp->b_lastuse = (uint_t)lbolt;
	return bp;
}

buf_t *
bread(daddr_t blkno)
{
	buf_t *bp;
	KS_INC(bread);
	bp = getblk(blkno);
	if (bp->b_flags & B_DONE)
		return bp;
	KS_INC(bread_miss);
	bp->b_flags |= B_READ;
	bp->b_bcount = FS_BSIZE;
	bdev_strategy(bp);
	(void)biowait(bp);
	return bp;
}

void
brelse(buf_t *bp)
{
	int s;
	KS_INC(brelse);
	s = lock_set_spl(&bio_lock, IPL(IPL_BIO));
	if (bp->b_flags & B_WANTED)
		wakeup(bp);
	if (bfreelist_wanted) {
		bfreelist_wanted = 0;
		wakeup(&bfreelist);
	}
	if (bp->b_flags & (B_ERROR | B_STALE | B_INVAL)) {
		bhash_remove(bp);
		bp->b_blkno = (daddr_t)-1;
		bp->b_flags = B_INVAL;
		bp->av_forw = bfreelist.av_forw;
		bp->av_back = &bfreelist;
		bfreelist.av_forw->av_back = bp;
		bfreelist.av_forw = bp;
	} else {
		bp->b_flags &= ~(B_BUSY | B_WANTED | B_ASYNC | B_READ | B_AGE);
		bp->av_forw = &bfreelist;
		bp->av_back = bfreelist.av_back;
		bfreelist.av_back->av_forw = bp;
		bfreelist.av_back = bp;
	}
	lock_clear_splx(&bio_lock, s);
}

int
biowait(buf_t *bp)
{
	hrtime_t t0 = gethrtime();
	int s = lock_set_spl(&bio_lock, IPL(IPL_BIO));
	while (!(bp->b_flags & B_DONE))
		sleep_spin((char *)bp + 1, &bio_lock);
	lock_clear_splx(&bio_lock, s);
	KS_CYCLES(biowait_cycles, t0);
	return (bp->b_flags & B_ERROR) ? (bp->b_error != 0 ? bp->b_error : EIO) : 0;
}

/* I/O completion, from the disk interrupt. */
void
biodone(buf_t *bp)
{
	int s;
	(void)atomic_add_32_nv((volatile uint_t *)&bio_inflight, -1);
	if (bp->b_iodone != NULL) {
		(*bp->b_iodone)(bp);
		return;
	}
	s = lock_set_spl(&bio_lock, IPL(IPL_BIO));
	bp->b_flags |= B_DONE;
	if (bp->b_flags & B_ASYNC) {
		lock_clear_splx(&bio_lock, s);
		brelse(bp);
		return;
	}
	wakeup((char *)bp + 1);
	lock_clear_splx(&bio_lock, s);
}

int
bwrite(buf_t *bp)
{
	int error = 0;
	KS_INC(bwrite);
	bp->b_flags &= ~(B_READ | B_DONE | B_ERROR | B_DELWRI);
	bp->b_bcount = FS_BSIZE;
	if (bp->b_flags & B_ASYNC) {
		bdev_strategy(bp);
		return 0;
	}
	bdev_strategy(bp);
	error = biowait(bp);
	brelse(bp);
	return error;
}

void
bdwrite(buf_t *bp)
{
	KS_INC(bdwrite);
	if (!(bp->b_flags & B_DELWRI))
		bp->b_lastuse = (uint_t)lbolt;
	bp->b_flags |= B_DELWRI | B_DONE;
	brelse(bp);
}

void
bawrite(buf_t *bp)
{
	KS_INC(bawrite);
	bp->b_flags |= B_ASYNC;
	(void)bwrite(bp);
}

/* Starts writes of delayed-write buffers older than age ticks (0: all); with wait, waits for them. */
static void
bflush_age(int age, int wait)
{
	int i;
	for (i = 0; i < nbuf; i++) {
		buf_t *bp = &buf_headers[i];
		int s = lock_set_spl(&bio_lock, IPL(IPL_BIO));
		if ((bp->b_flags & (B_DELWRI | B_BUSY)) != B_DELWRI ||
		    (age > 0 && (int)((uint_t)lbolt - bp->b_lastuse) < age)) {
			lock_clear_splx(&bio_lock, s);
			continue;
		}
		bp->b_flags |= B_BUSY;
		bfree_remove(bp);
		lock_clear_splx(&bio_lock, s);
		if (wait) {
			bp->b_flags &= ~B_ASYNC;
			(void)bwrite(bp);
		} else {
			bawrite(bp);
		}
	}
}

void
bflush(int wait)
{
	bflush_age(0, wait);
}

void
bflush_old(int age)
{
	bflush_age(age, 0);
}

/* Forgets a block's buffer (the block was freed): a delayed write of it must never reach disk. */
void
binval(daddr_t blkno)
{
	buf_t *bp;
	int s = lock_set_spl(&bio_lock, IPL(IPL_BIO));
	for (;;) {
		bp = bhash_find(blkno);
		if (bp == NULL)
			break;
		if (bp->b_flags & B_BUSY) {
			bp->b_flags |= B_WANTED;
			sleep_spin(bp, &bio_lock);
			continue;
		}
		bp->b_flags &= ~B_DELWRI;
		bp->b_flags |= B_STALE;
		bhash_remove(bp);
		bp->b_blkno = (daddr_t)-1;
		break;
	}
	lock_clear_splx(&bio_lock, s);
}

/* Buffers with I/O in flight or delayed writes pending. */
int
bio_busy(void)
{
	int i, n = 0;
	for (i = 0; i < nbuf; i++)
		if (buf_headers[i].b_flags & (B_DELWRI | B_BUSY))
			n++;
	return n + bio_inflight;
}

/* Waits until no I/O is in flight (shutdown). */
void
bio_drain(void)
{
	while (bio_inflight > 0)
		delay(1);
}

buf_t *
pageio_setup(struct page *pp, daddr_t blkno, int flags)
{
	buf_t *bp = kmem_zalloc(sizeof (buf_t), KM_SLEEP);
	bp->b_flags = (uint_t)(B_BUSY | B_PAGEIO | B_HEADER | flags);
	bp->b_blkno = blkno;
	bp->b_bcount = PAGESIZE;
	bp->b_addr = pp->p_addr;
	bp->b_pages = pp;
	return bp;
}

void
pageio_done(buf_t *bp)
{
	kmem_free(bp, sizeof (buf_t));
}

void
bdev_strategy(buf_t *bp)
{
	bp->b_sector = bp->b_blkno * SECT_PER_BLK;
	bp->b_start = gethrtime();
	bp->b_resid = 0;
	(void)atomic_add_32_nv((volatile uint_t *)&bio_inflight, 1);
	sdstrategy(bp);
}
