/*
 * proxy: a Squid-like caching web proxy under the Wisconsin Proxy Benchmark's request pattern.
 * Each worker process owns a partition of the URL space and a set of cache files
 * (/cache/XX/YYYYYYYY, made by mkfs as a warm cache). A hit opens the object's file and reads it;
 * a miss waits for the "origin server", then stores the object in a cache file, replacing the
 * least recently used one: Squid's open(O_CREAT|O_TRUNC), write, close -- or, with the fix the
 * KernInst talk proposed (proxy_trunc_mode 1), open without O_TRUNC, overwrite, and truncate only
 * when the new object is smaller.
 */
#include "libc.h"

/* _init runs in the kernel at boot (the module table), so it may use the kernel's printf */
extern int printf(const char *fmt, ...);
extern uint_t bootparam[];

#define PROXY_MAX_SLOTS 1024
#define PROXY_HOT 64

struct proxy_state {
	uint_t rand;
	uint_t worker;
	uint_t nworkers;
	uint_t nurls;               /* URLs of this worker */
	uint_t nslots;              /* cache files of this worker */
	uint_t trunc_mode;
	uint_t think_us;
	uint_t meansize;
	uint_t hitpct;
	uint_t clock;
	uint_t hot[PROXY_HOT];      /* recently requested URLs (temporal locality) */
	uint_t nhot;
};

/* Per-worker tables live in the process' data area (ubuf): slot -> URL, URL -> slot, sizes, LRU. */
struct proxy_tables {
	uint16_t url_slot[PROXY_MAX_SLOTS * 2];
	uint16_t slot_url[PROXY_MAX_SLOTS];
	uint_t slot_bytes[PROXY_MAX_SLOTS];
	uint_t slot_used[PROXY_MAX_SLOTS];
};

static uint_t proxy_files_total;

/* Run once at boot. */
static __noinline __used void
_init(void)
{
	uint_t procs = bootparam[BP_proxy_procs], urls = bootparam[BP_proxy_urls];
	proxy_files_total = 0;
	if (!(bootparam[BP_workloads] & WL_PROXY) || procs == 0)
		return;
	proxy_files_total = urls / 2;
	printf("proxy: %u workers, %u URLs, %u%% repeats, mean %u bytes, %s, origin %u us\n", procs, urls,
	    bootparam[BP_proxy_hitpct], bootparam[BP_proxy_meansize],
	    bootparam[BP_proxy_trunc_mode] ? "overwrite + ftruncate" : "O_TRUNC", bootparam[BP_proxy_think]);
}

static void
proxy_path(char *buf, uint_t file)
{
	ufmt(buf, 48, "/cache/%02x/%08x", file & 15, file);
}

static uint_t
proxy_object_size(uint_t url, uint_t mean, uint_t version)
{
	uint_t h = (url * 2654435761u) ^ (version * 40503u);
	uint_t r = h % 100;
	uint_t size;
	h = (h >> 8) * 2654435761u;
	if (r < 60)
		size = mean / 4 + (h % (mean));
	else if (r < 90)
		size = mean + (h % (mean * 2));
	else
		size = mean * 2 + (h % (mean * 3));
	if (size < 256)
		size = 256;
	if (size > 48 * 1024)
		size = 48 * 1024;
	return size;
}

/* Serves a hit: read the cached object. */
static int
proxy_hit(struct proxy_state *ps, uint_t file, uchar_t *buf, uint_t expect_url)
{
	char path[48];
	int fd, n, total = 0;
	proxy_path(path, file);
	fd = open(path, O_RDONLY, 0);
	if (fd < 0)
		return fd;
	while ((n = read(fd, buf, 4096)) > 0) {
		if (total == 0 && n > 16 && (buf[8] != proxy_object_byte(expect_url, 8) ||
		    buf[n - 1] != proxy_object_byte(expect_url, (uint_t)n - 1)))
			kstat_add(KS_proxy_bad, 1);
		total += n;
	}
	close(fd);
	(void)ps;
	return total;
}

/* Serves a miss: fetch (wait), then store the object in cache file `file` that held oldsize bytes. */
static int
proxy_miss(struct proxy_state *ps, uint_t file, uint_t url, uint_t size, uint_t oldsize, uchar_t *buf)
{
	char path[48];
	uint_t off = 0;
	int fd;
	if (ps->think_us > 0)
		usleep(ps->think_us);
	proxy_path(path, file);
	if (ps->trunc_mode == 0)
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	else
		fd = open(path, O_WRONLY | O_CREAT, 0644);
	if (fd < 0)
		return fd;
	while (off < size) {
		uint_t n = size - off > 4096 ? 4096 : size - off, i;
		for (i = 0; i < n; i++)
			buf[i] = proxy_object_byte(url, off + i);
		if (write(fd, buf, n) != (int)n)
			break;
		off += n;
	}
	if (ps->trunc_mode != 0 && size < oldsize) {
		ftruncate(fd, size);
		kstat_add(KS_proxy_ftruncate, 1);
	}
	close(fd);
	return (int)off;
}

static void
proxy_worker(void *arg)
{
	struct proxy_state ps;
	struct proxy_tables *tb;
	uchar_t *buf;
	uint_t first_file, i;
	char name[16];
	umemset(&ps, 0, sizeof (ps));
	ps.worker = (uint_t)arg;
	ps.nworkers = bootparam_get(BP_proxy_procs);
	/* the same arithmetic as the host's mkfs (src/main/core/minisol/mkfs.ts) */
	ps.nurls = bootparam_get(BP_proxy_urls) / ps.nworkers;
	if (ps.nurls > 2 * PROXY_MAX_SLOTS)
		ps.nurls = 2 * PROXY_MAX_SLOTS;
	if (ps.nurls < 2)
		ps.nurls = 2;
	ps.nslots = ps.nurls / 2;
	ps.trunc_mode = bootparam_get(BP_proxy_trunc_mode);
	ps.think_us = bootparam_get(BP_proxy_think);
	ps.meansize = bootparam_get(BP_proxy_meansize);
	ps.hitpct = bootparam_get(BP_proxy_hitpct);
	ps.rand = bootparam_get(BP_seed) * 7919u + ps.worker * 104729u + 1;
	ufmt(name, sizeof (name), "squid%u", ps.worker);
	setname(name, WL_PROXY);
	/* the data area: tables first, then a 4 KB I/O buffer */
	tb = ubuf();
	buf = (uchar_t *)ubuf() + (32768 - 4096);
	/*
	 * The warm cache mkfs made: worker w's cache file s (file number w * nslots + s) holds
	 * version 0 of its URL s, whose object id is w * nurls + s.
	 */
	first_file = ps.worker * ps.nslots;
	for (i = 0; i < ps.nurls; i++)
		tb->url_slot[i] = 0xffff;
	for (i = 0; i < ps.nslots; i++) {
		tb->slot_url[i] = (uint16_t)i;
		tb->url_slot[i] = (uint16_t)i;
		tb->slot_bytes[i] = proxy_object_size(ps.worker * ps.nurls + i, ps.meansize, 0);
		tb->slot_used[i] = i;
	}
	ps.clock = ps.nslots;
	while (!shutdown_q()) {
		uint_t url, slot, hit = 0, r = urand(&ps.rand);
		int n;
		/* WPB: a fraction of requests go to recently requested URLs, the rest anywhere */
		if (ps.nhot > 0 && r % 100 < ps.hitpct)
			url = ps.hot[(r >> 8) % ps.nhot];
		else
			url = (r >> 7) % ps.nurls;
		if (ps.nhot < PROXY_HOT)
			ps.hot[ps.nhot++] = url;
		else
			ps.hot[(r >> 16) % PROXY_HOT] = url;
		kstat_add(KS_proxy_requests, 1);
		slot = tb->url_slot[url];
		if (slot != 0xffff) {
			n = proxy_hit(&ps, first_file + slot, buf, ps.worker * ps.nurls + url);
			kstat_add(KS_proxy_hits, 1);
			hit = 1;
		} else {
			/* replace the least recently used object */
			uint_t victim = 0, oldest = 0xffffffffu, size, oldsize;
			for (i = 0; i < ps.nslots; i++) {
				if (tb->slot_used[i] < oldest) {
					oldest = tb->slot_used[i];
					victim = i;
				}
			}
			tb->url_slot[tb->slot_url[victim]] = 0xffff;
			tb->slot_url[victim] = (uint16_t)url;
			tb->url_slot[url] = (uint16_t)victim;
			slot = victim;
			size = proxy_object_size(ps.worker * ps.nurls + url, ps.meansize, 1 + (r & 7));
			oldsize = tb->slot_bytes[victim];
			n = proxy_miss(&ps, first_file + victim, ps.worker * ps.nurls + url, size, oldsize, buf);
			tb->slot_bytes[victim] = size;
			kstat_add(KS_proxy_misses, 1);
		}
		tb->slot_used[slot] = ++ps.clock;
		if (n > 0)
			kstat_add(KS_proxy_bytes, (uint_t)n);
		/* which URL, hit or miss (the worker's own cache decides), and the bytes served */
		result_note((url * 2u + hit) * 31u + (uint_t)n);
	}
	_exit(0);
}

void
proxy_main(void *arg)
{
	uint_t i, n = bootparam_get(BP_proxy_procs);
	int status;
	(void)arg;
	setname("proxy", WL_PROXY);
	for (i = 0; i < n; i++)
		fork(proxy_worker, (void *)i, "squid");
	while (waitpid(0, &status) > 0)
		;
	_exit(0);
}

/* Never called; springboard space. */
static __noinline __used int
_fini(void)
{
	return proxy_files_total > 0 ? EBUSY : 0;
}

struct modlinkage proxy_modlinkage = { "proxy", _init, _fini, 0, 0 };
