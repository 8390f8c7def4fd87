/*
 * dnlc: the directory name lookup cache. (directory vnode, name) -> vnode, ncsize entries (a boot
 * tunable) on hash chains and an LRU list; each entry holds its vnodes. When the working set of
 * names does not fit, dnlc_lookup misses and ufs_lookup falls back to ufs_dirlook, the talk's DNLC
 * bottleneck; making ncsize bigger is the fix.
 */
#include "sys.h"

#define NC_NAMLEN 31

typedef struct ncache {
	struct ncache *hash_next;
	struct ncache *hash_prev;
	struct ncache *lru_next;
	struct ncache *lru_prev;
	vnode_t *vp;
	vnode_t *dp;
	uint_t hash;
	uchar_t namlen;
	char name[NC_NAMLEN + 1];
} ncache_t;

typedef struct nc_hash {
	ncache_t *hash_next;
	ncache_t *hash_prev;
} nc_hash_t;

int ncsize = 128;
static int nc_hashsz;
static int nc_hashmask;
static ncache_t *ncache;
static nc_hash_t *nc_hash;
static ncache_t nc_lru;                 /* lru_next is the least recently used */
static kmutex_t nc_lock;
static uint_t nc_entries;

struct ncstats {
	uint_t hits;
	uint_t misses;
	uint_t enters;
	uint_t dbl_enters;
	uint_t too_long;
	uint_t removes;
	uint_t purges;
	uint_t reclaims;
} ncstats;

static uint_t
dnlc_hash(vnode_t *dp, const char *name, int *lenp)
{
	uint_t h = 0;
	int n = 0;
	while (name[n] != '\0') {
		h = (h << 4) + h + (uchar_t)name[n];
		n++;
	}
	*lenp = n;
	return h + ((uint_t)dp >> 4);
}

static void
nc_hash_insert(ncache_t *ncp)
{
	nc_hash_t *hp = &nc_hash[ncp->hash & (uint_t)nc_hashmask];
	ncp->hash_next = hp->hash_next;
	ncp->hash_prev = (ncache_t *)hp;
	hp->hash_next->hash_prev = ncp;
	hp->hash_next = ncp;
}

static void
nc_hash_remove(ncache_t *ncp)
{
	ncp->hash_prev->hash_next = ncp->hash_next;
	ncp->hash_next->hash_prev = ncp->hash_prev;
	ncp->hash_next = ncp->hash_prev = ncp;
}

static void
nc_lru_touch(ncache_t *ncp)
{
	ncp->lru_prev->lru_next = ncp->lru_next;
	ncp->lru_next->lru_prev = ncp->lru_prev;
	ncp->lru_next = &nc_lru;
	ncp->lru_prev = nc_lru.lru_prev;
	nc_lru.lru_prev->lru_next = ncp;
	nc_lru.lru_prev = ncp;
}

/* Run once at boot: the cache sized by the ncsize tunable. */
static __noinline __used void
_init(void)
{
	int i;
	if (bootparam[BP_ncsize] != 0)
		ncsize = (int)bootparam[BP_ncsize];
	if (ncsize < 8)
		ncsize = 8;
	for (nc_hashsz = 4; nc_hashsz < ncsize / 2; nc_hashsz <<= 1)
		;
	nc_hashmask = nc_hashsz - 1;
	mutex_init(&nc_lock, "ncache");
	ncache = kmem_zalloc(sizeof (ncache_t) * (size_t)ncsize, KM_SLEEP);
	nc_hash = kmem_zalloc(sizeof (nc_hash_t) * (size_t)nc_hashsz, KM_SLEEP);
	for (i = 0; i < nc_hashsz; i++)
		nc_hash[i].hash_next = nc_hash[i].hash_prev = (ncache_t *)&nc_hash[i];
	nc_lru.lru_next = nc_lru.lru_prev = &nc_lru;
	for (i = 0; i < ncsize; i++) {
		ncache_t *ncp = &ncache[i];
		ncp->hash_next = ncp->hash_prev = ncp;
		ncp->lru_next = &nc_lru;
		ncp->lru_prev = nc_lru.lru_prev;
		nc_lru.lru_prev->lru_next = ncp;
		nc_lru.lru_prev = ncp;
	}
	printf("dnlc: %d entries, %d hash chains, %u bytes\n", ncsize, nc_hashsz,
	    (uint_t)(sizeof (ncache_t) * (uint_t)ncsize + sizeof (nc_hash_t) * (uint_t)nc_hashsz));
}

static ncache_t *
dnlc_search(vnode_t *dp, const char *name, int namlen, uint_t hash)
{
	nc_hash_t *hp = &nc_hash[hash & (uint_t)nc_hashmask];
	ncache_t *ncp;
	for (ncp = hp->hash_next; ncp != (ncache_t *)hp; ncp = ncp->hash_next) {
		if (ncp->hash == hash && ncp->dp == dp && ncp->namlen == namlen &&
		    memcmp(ncp->name, name, (size_t)namlen) == 0)
			return ncp;
	}
	return NULL;
}

/* The vnode name names in directory dp, held, or NULL on a miss. */
vnode_t *
dnlc_lookup(vnode_t *dp, const char *name)
{
	ncache_t *ncp;
	vnode_t *vp;
	int namlen;
	uint_t hash;
	KS_INC(dnlc_lookup);
	hash = dnlc_hash(dp, name, &namlen);
	if (namlen > NC_NAMLEN) {
		ncstats.too_long++;
		KS_INC(dnlc_misses);
		return NULL;
	}
	mutex_enter(&nc_lock);
	ncp = dnlc_search(dp, name, namlen, hash);
	if (ncp == NULL) {
		mutex_exit(&nc_lock);
		ncstats.misses++;
		KS_INC(dnlc_misses);
		return NULL;
	}
	nc_lru_touch(ncp);
	vp = ncp->vp;
	vn_hold(vp);
	mutex_exit(&nc_lock);
	ncstats.hits++;
	KS_INC(dnlc_hits);
	return vp;
}

/* Adds (dp, name) -> vp, recycling the least recently used entry. */
void
dnlc_enter(vnode_t *dp, const char *name, vnode_t *vp)
{
	ncache_t *ncp;
	vnode_t *old_vp = NULL, *old_dp = NULL;
	int namlen;
	uint_t hash;
	KS_INC(dnlc_enter);
	hash = dnlc_hash(dp, name, &namlen);
	if (namlen > NC_NAMLEN) {
		ncstats.too_long++;
		return;
	}
	mutex_enter(&nc_lock);
	if (dnlc_search(dp, name, namlen, hash) != NULL) {
		mutex_exit(&nc_lock);
		ncstats.dbl_enters++;
		return;
	}
	ncp = nc_lru.lru_next;
	if (ncp->vp != NULL) {
		nc_hash_remove(ncp);
		old_vp = ncp->vp;
		old_dp = ncp->dp;
		ncstats.reclaims++;
		KS_INC(dnlc_reclaim);
	} else {
		nc_entries++;
	}
	vn_hold(dp);
	vn_hold(vp);
	ncp->dp = dp;
	ncp->vp = vp;
	ncp->hash = hash;
	ncp->namlen = (uchar_t)namlen;
	memcpy(ncp->name, name, (size_t)namlen);
	ncp->name[namlen] = '\0';
	nc_hash_insert(ncp);
	nc_lru_touch(ncp);
	mutex_exit(&nc_lock);
	ncstats.enters++;
	if (old_vp != NULL)
		vn_rele(old_vp);
	if (old_dp != NULL)
		vn_rele(old_dp);
}

/* Frees an entry (nc_lock held) and returns the vnodes to release after unlocking. */
static void
dnlc_free_entry(ncache_t *ncp, vnode_t **vpp, vnode_t **dpp)
{
	nc_hash_remove(ncp);
	*vpp = ncp->vp;
	*dpp = ncp->dp;
	ncp->vp = ncp->dp = NULL;
	ncp->namlen = 0;
	/* make it the first to be reused */
	ncp->lru_prev->lru_next = ncp->lru_next;
	ncp->lru_next->lru_prev = ncp->lru_prev;
	ncp->lru_next = nc_lru.lru_next;
	ncp->lru_prev = &nc_lru;
	nc_lru.lru_next->lru_prev = ncp;
	nc_lru.lru_next = ncp;
	nc_entries--;
}

void
dnlc_remove(vnode_t *dp, const char *name)
{
	ncache_t *ncp;
	vnode_t *vp = NULL, *odp = NULL;
	int namlen;
	uint_t hash;
	KS_INC(dnlc_remove);
	hash = dnlc_hash(dp, name, &namlen);
	if (namlen > NC_NAMLEN)
		return;
	mutex_enter(&nc_lock);
	ncp = dnlc_search(dp, name, namlen, hash);
	if (ncp != NULL)
		dnlc_free_entry(ncp, &vp, &odp);
	mutex_exit(&nc_lock);
	ncstats.removes++;
	if (vp != NULL)
		vn_rele(vp);
	if (odp != NULL)
		vn_rele(odp);
}

/* Removes every entry that refers to vp (as the name or the directory). */
void
dnlc_purge_vp(vnode_t *vp)
{
	int i;
	ncstats.purges++;
	for (;;) {
		vnode_t *a = NULL, *b = NULL;
		mutex_enter(&nc_lock);
		for (i = 0; i < ncsize; i++) {
			ncache_t *ncp = &ncache[i];
			if (ncp->vp != NULL && (ncp->vp == vp || ncp->dp == vp)) {
				dnlc_free_entry(ncp, &a, &b);
				break;
			}
		}
		mutex_exit(&nc_lock);
		if (a == NULL)
			return;
		vn_rele(a);
		vn_rele(b);
	}
}

/* Empties the cache (unmount, shutdown). Returns the entries purged. */
int
dnlc_fs_purge(void)
{
	int n = 0;
	for (;;) {
		vnode_t *a = NULL, *b = NULL;
		int i;
		mutex_enter(&nc_lock);
		for (i = 0; i < ncsize; i++) {
			if (ncache[i].vp != NULL) {
				dnlc_free_entry(&ncache[i], &a, &b);
				break;
			}
		}
		mutex_exit(&nc_lock);
		if (a == NULL)
			return n;
		vn_rele(a);
		vn_rele(b);
		n++;
	}
}

/* Never called; springboard space. */
static __noinline __used int
_fini(void)
{
	if (nc_entries > 0) {
		cmn_err(CE_NOTE, "dnlc: %u entries in use; %u hits, %u misses, %u reclaims",
		    nc_entries, ncstats.hits, ncstats.misses, ncstats.reclaims);
		return EBUSY;
	}
	kmem_free(ncache, sizeof (ncache_t) * (size_t)ncsize);
	kmem_free(nc_hash, sizeof (nc_hash_t) * (size_t)nc_hashsz);
	return 0;
}

struct modlinkage dnlc_modlinkage = { "dnlc", _init, _fini, 0, 0 };
