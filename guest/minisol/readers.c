/*
 * readers: processes reading files of /data, each its own pid: the first readers_random of them
 * at random offsets, the others sequentially (rewinding at the end). Their read latency per
 * process (kstat_proc read_cycles / read_calls) shows what a per-process prefetch policy buys.
 */
#include "libc.h"

/* _init runs in the kernel at boot (the module table), so it may use the kernel's printf */
extern int printf(const char *fmt, ...);
extern uint_t bootparam[];

static uint_t readers_started;

/* Run once at boot. */
static __noinline __used void
_init(void)
{
	readers_started = 0;
	if (!(bootparam[BP_workloads] & WL_READERS))
		return;
	printf("readers: %u processes (%u random) over %u files, %u-byte reads\n", bootparam[BP_readers_procs],
	    bootparam[BP_readers_random], bootparam[BP_readers_files], bootparam[BP_readers_iosize]);
}

static void
reader(void *arg)
{
	uint_t idx = (uint_t)arg;
	uint_t nfiles = bootparam_get(BP_readers_files);
	uint_t iosize = bootparam_get(BP_readers_iosize);
	int random = idx < bootparam_get(BP_readers_random);
	uint_t file = idx % (nfiles > 0 ? nfiles : 1);
	uint_t rnd = bootparam_get(BP_seed) * 31u + idx * 7777u + 1u;
	uchar_t *buf = ubuf();
	struct stat st;
	char path[24], name[16];
	uint_t nblocks;
	int fd;
	ufmt(name, sizeof (name), "%s%u", random ? "rread" : "sread", idx);
	setname(name, WL_READERS);
	if (iosize == 0 || iosize > 16384)
		iosize = 8192;
	ufmt(path, sizeof (path), "/data/f%u", file);
	fd = open(path, O_RDONLY, 0);
	if (fd < 0 || fstat(fd, &st) < 0)
		_exit(1);
	nblocks = st.st_size / iosize;
	if (nblocks == 0)
		nblocks = 1;
	while (!shutdown_q()) {
		uint_t off;
		int n, i, bad = 0;
		if (random) {
			off = (urand(&rnd) % nblocks) * iosize;
			lseek(fd, (int)off, SEEK_SET);
		} else {
			off = (uint_t)lseek(fd, 0, SEEK_CUR);
		}
		n = read(fd, buf, iosize);
		if (n <= 0) {
			lseek(fd, 0, SEEK_SET);
			continue;
		}
		for (i = 0; i < n; i += 509)
			if (buf[i] != data_file_byte(file, off + (uint_t)i))
				bad++;
		if (buf[n - 1] != data_file_byte(file, off + (uint_t)n - 1))
			bad++;
		{
			uint_t c = off * 31u + (uint_t)n;
			for (i = 0; i < n; i += 509)
				c = c * 31u + buf[i];
			result_note(c * 31u + buf[n - 1]);
		}
		if (bad > 0)
			kstat_add(KS_readers_bad_bytes, (uint_t)bad);
		kstat_add(KS_readers_reads, 1);
		kstat_add(KS_readers_bytes, (uint_t)n);
	}
	close(fd);
	_exit(0);
}

void
readers_main(void *arg)
{
	uint_t i, n = bootparam_get(BP_readers_procs);
	int status;
	(void)arg;
	setname("readers", WL_READERS);
	readers_started = 1;
	for (i = 0; i < n; i++)
		fork(reader, (void *)i, "reader");
	while (waitpid(0, &status) > 0)
		;
	_exit(0);
}

/* Never called; springboard space. */
static __noinline __used int
_fini(void)
{
	return readers_started ? EBUSY : 0;
}

struct modlinkage readers_modlinkage = { "readers", _init, _fini, 0, 0 };
