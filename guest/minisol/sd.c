/*
 * sd: the disk driver. sdstrategy queues a buffer in elevator order (disksort, C-LOOK) and starts
 * the device when it is idle; the device DMAs and interrupts at level 4; sdintr completes the
 * buffer (biodone) and starts the next one. Seek and rotation latency are the device's, in
 * virtual time.
 */
#include "sys.h"

static volatile uint_t *const sdregs = (volatile uint_t *)DISK_BASE;
static lock_t sd_lock;
static buf_t *sd_queue;                 /* requests at or above the head position, ascending */
static buf_t *sd_queue2;                /* requests below it: the next sweep */
static buf_t *volatile sd_active;
static uint_t sd_head;                  /* sector of the last request started */
static uint_t sd_nsectors;
static uint_t sd_geom;
static uint_t sd_qlen, sd_qmax;

struct sd_stats {
	uint_t reads;
	uint_t writes;
	uint_t errors;
	uint_t sweeps;
	uint64_t latency;
} sd_stats;

#define SD_REG(off) sdregs[(off) / 4]

uint_t
sd_capacity(void)
{
	return sd_nsectors;
}

/* Inserts bp into a list sorted by sector. */
static void
sd_insert_sorted(buf_t **head, buf_t *bp)
{
	buf_t **bpp;
	for (bpp = head; *bpp != NULL && (*bpp)->b_sector <= bp->b_sector; bpp = &(*bpp)->av_forw)
		;
	bp->av_forw = *bpp;
	*bpp = bp;
}

/*
 * The elevator: requests ahead of the head go on this sweep, the others on the next one. A sweep
 * takes at most SD_SWEEP_MAX requests, so that a stream of readahead ahead of the head cannot
 * starve the requests behind it.
 */
#define SD_SWEEP_MAX 16
static uint_t sd_sweep_len;

static void
disksort(buf_t *bp)
{
	if (bp->b_sector >= sd_head && sd_sweep_len < SD_SWEEP_MAX) {
		sd_insert_sorted(&sd_queue, bp);
		sd_sweep_len++;
	} else {
		sd_insert_sorted(&sd_queue2, bp);
	}
	sd_qlen++;
	if (sd_qlen > sd_qmax)
		sd_qmax = sd_qlen;
}

/* Starts the next request. Called with sd_lock held and the device idle. */
static void
sdstart(void)
{
	buf_t *bp = sd_queue;
	if (bp == NULL) {
		if (sd_queue2 == NULL)
			return;
		sd_queue = sd_queue2;
		sd_queue2 = NULL;
		sd_stats.sweeps++;
		sd_sweep_len = 0;
		for (bp = sd_queue; bp != NULL; bp = bp->av_forw)
			sd_sweep_len++;
		bp = sd_queue;
	}
	sd_queue = bp->av_forw;
	bp->av_forw = NULL;
	sd_qlen--;
	sd_active = bp;
	sd_head = bp->b_sector;
	SD_REG(SD_BLKNO) = bp->b_sector;
	SD_REG(SD_NSECT) = bp->b_bcount / DEV_BSIZE;
	SD_REG(SD_DMA) = (uint_t)bp->b_addr;
	SD_REG(SD_TAG) = (uint_t)bp;
	SD_REG(SD_CMD) = (bp->b_flags & B_READ) ? SD_CMD_READ : SD_CMD_WRITE;
}

void
sdstrategy(buf_t *bp)
{
	int s;
	KS_INC(sdstrategy);
	if (bp->b_sector + bp->b_bcount / DEV_BSIZE > sd_nsectors) {
		bp->b_flags |= B_ERROR;
		bp->b_error = ENXIO;
		biodone(bp);
		return;
	}
	s = lock_set_spl(&sd_lock, IPL(IPL_BIO));
	disksort(bp);
	if (sd_active == NULL)
		sdstart();
	lock_clear_splx(&sd_lock, s);
}

void
sdintr(void *arg)
{
	buf_t *bp;
	uint_t status, latency;
	int s;
	(void)arg;
	KS_INC(sdintr);
	s = lock_set_spl(&sd_lock, IPL(IPL_BIO));
	status = SD_REG(SD_STATUS);
	if (!(status & SD_ST_DONE)) {
		lock_clear_splx(&sd_lock, s);
		return;
	}
	bp = sd_active;
	if (bp == NULL || SD_REG(SD_DONE_TAG) != (uint_t)bp)
		panic("sdintr: completion for tag 0x%x, active buffer %p", SD_REG(SD_DONE_TAG), bp);
	latency = SD_REG(SD_LATENCY);
	SD_REG(SD_STATUS) = SD_ST_DONE | SD_ST_ERROR;
	sd_active = NULL;
	sd_stats.latency += latency;
	KS_ADD(sd_busy_cycles, latency);
	if (status & SD_ST_ERROR) {
		bp->b_flags |= B_ERROR;
		bp->b_error = EIO;
		sd_stats.errors++;
	}
	if (bp->b_flags & B_READ) {
		sd_stats.reads++;
		KS_INC(sd_reads);
		KS_ADD(sd_bytes_read, bp->b_bcount);
	} else {
		sd_stats.writes++;
		KS_INC(sd_writes);
		KS_ADD(sd_bytes_written, bp->b_bcount);
	}
	sdstart();
	lock_clear_splx(&sd_lock, s);
	biodone(bp);
}

/* Run once at boot: attach the disk. */
static __noinline __used void
_init(void)
{
	uint_t cyl, heads, spt;
	sd_nsectors = SD_REG(SD_CAPACITY);
	sd_geom = SD_REG(SD_GEOM);
	cyl = sd_geom >> 16;
	heads = (sd_geom >> 8) & 0xff;
	spt = sd_geom & 0xff;
	if (sd_nsectors == 0)
		panic("sd: no disk");
	if (bootparam[BP_disk_sectors] != 0 && bootparam[BP_disk_sectors] != sd_nsectors)
		cmn_err(CE_WARN, "sd: boot parameters say %u sectors, the disk has %u", bootparam[BP_disk_sectors], sd_nsectors);
	SD_REG(SD_INTR_TARGET) = (uint_t)cpu_index();
	SD_REG(SD_STATUS) = SD_ST_DONE | SD_ST_ERROR;
	add_intr(IPL_DISK, sdintr, NULL, "sd");
	printf("sd0: %u sectors (%uM), %u cylinders, %u heads, %u sectors/track\n",
	    sd_nsectors, sd_nsectors >> 11, cyl, heads, spt);
}

/* Never called; springboard space. */
static __noinline __used int
_fini(void)
{
	if (sd_active != NULL || sd_queue != NULL || sd_queue2 != NULL) {
		cmn_err(CE_NOTE, "sd: busy: %u reads, %u writes, queue %u (max %u)",
		    sd_stats.reads, sd_stats.writes, sd_qlen, sd_qmax);
		return EBUSY;
	}
	SD_REG(SD_INTR_TARGET) = 0;
	return EBUSY;
}

struct modlinkage sd_modlinkage = { "sd", _init, _fini, 0, 0 };
