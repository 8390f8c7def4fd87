/*
 * genunix part: the kernel memory allocator. kmem_alloc/kmem_free map a size to one of ~40 size-class
 * caches (two lookup tables, as Solaris' kmem_alloc_table); each cache carves slabs from the kernel
 * heap into fixed-size buffers on a free list. Bigger requests take whole kernel-heap pages.
 */

struct kmem_cache {
	const char *cache_name;
	size_t cache_bufsize;
	lock_t cache_lock;
	void *cache_freelist;
	uint_t cache_slabsize;
	uint_t cache_nfree;
	uint_t cache_total;
	uint_t cache_alloc;
	uint_t cache_free;
	uint_t cache_slab_create;
	struct kmem_cache *cache_next;
};

#define KMEM_ALIGN_SHIFT 3
#define KMEM_BIG_SHIFT   10
#define KMEM_MAXBUF      16384
#define KMEM_NCLASSES    40

static const uint_t kmem_size_classes[] = {
	8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256,
	320, 384, 448, 512, 640, 768, 896, 1024, 1280, 1536, 1792, 2048, 2560, 3072,
	4096, 5120, 6144, 8192, 12288, 16384,
};

static kmem_cache_t kmem_caches[KMEM_NCLASSES];
static kmem_cache_t *kmem_alloc_table[1024 >> KMEM_ALIGN_SHIFT];
static kmem_cache_t *kmem_big_alloc_table[KMEM_MAXBUF >> KMEM_BIG_SHIFT];
static kmem_cache_t kmem_named_caches[32];
static int kmem_nnamed;
static kmem_cache_t *kmem_cache_list;
static lock_t kmem_cache_list_lock;
static char kmem_class_names[KMEM_NCLASSES][20];

/* the kernel heap: contiguous pages for slabs, stacks and big buffers */
static caddr_t kheap_base, kheap_end, kheap_next;
static lock_t kheap_lock;
#define KHEAP_FREELISTS 17
static caddr_t kheap_free[KHEAP_FREELISTS];
uint_t kheap_pages_used;

void
kheap_init(caddr_t base, size_t size)
{
	kheap_base = base;
	kheap_next = base;
	kheap_end = base + size;
}

caddr_t
page_kmem_alloc(int npages)
{
	caddr_t p = NULL;
	int s = lock_set_spl(&kheap_lock, IPL(IPL_KMEM));
	if (npages < KHEAP_FREELISTS && kheap_free[npages] != NULL) {
		p = kheap_free[npages];
		kheap_free[npages] = *(caddr_t *)p;
	} else if (kheap_next + (size_t)npages * PAGESIZE <= kheap_end) {
		p = kheap_next;
		kheap_next += (size_t)npages * PAGESIZE;
	}
	if (p != NULL)
		kheap_pages_used += npages;
	lock_clear_splx(&kheap_lock, s);
	return p;
}

void
page_kmem_free(caddr_t addr, int npages)
{
	int s;
	if (npages >= KHEAP_FREELISTS)
		return;  /* kept: big allocations are rare and live long */
	s = lock_set_spl(&kheap_lock, IPL(IPL_KMEM));
	*(caddr_t *)addr = kheap_free[npages];
	kheap_free[npages] = addr;
	kheap_pages_used -= npages;
	lock_clear_splx(&kheap_lock, s);
}

static void
kmem_cache_setup(kmem_cache_t *cp, const char *name, size_t size)
{
	uint_t slab;
	memset(cp, 0, sizeof (*cp));
	cp->cache_name = name;
	cp->cache_bufsize = P2ROUNDUP(size, 8);
	slab = cp->cache_bufsize * 8;
	if (slab < PAGESIZE)
		slab = PAGESIZE;
	cp->cache_slabsize = P2ROUNDUP(slab, PAGESIZE);
	lock_set(&kmem_cache_list_lock);
	cp->cache_next = kmem_cache_list;
	kmem_cache_list = cp;
	lock_clear(&kmem_cache_list_lock);
}

kmem_cache_t *
kmem_cache_create(const char *name, size_t size, size_t align)
{
	kmem_cache_t *cp;
	(void)align;
	if (kmem_nnamed >= (int)NELEM(kmem_named_caches))
		panic("kmem_cache_create: too many caches (%s)", name);
	cp = &kmem_named_caches[kmem_nnamed++];
	kmem_cache_setup(cp, name, size);
	return cp;
}

/* Carves a new slab into buffers. Called with the cache lock held. */
static int
kmem_slab_create(kmem_cache_t *cp)
{
	caddr_t slab = page_kmem_alloc((int)(cp->cache_slabsize / PAGESIZE));
	uint_t n, i;
	if (slab == NULL)
		return -1;
	n = cp->cache_slabsize / cp->cache_bufsize;
	for (i = 0; i < n; i++) {
		void **buf = (void **)(slab + i * cp->cache_bufsize);
		*buf = cp->cache_freelist;
		cp->cache_freelist = buf;
	}
	cp->cache_nfree += n;
	cp->cache_total += n;
	cp->cache_slab_create++;
	KS_INC(kmem_slab_create);
	return 0;
}

void *
kmem_cache_alloc(kmem_cache_t *cp, int flag)
{
	void **buf;
	int s = lock_set_spl(&cp->cache_lock, IPL(IPL_KMEM));
	if (cp->cache_freelist == NULL && kmem_slab_create(cp) != 0) {
		lock_clear_splx(&cp->cache_lock, s);
		if (flag == KM_NOSLEEP)
			return NULL;
		panic("kmem_cache_alloc: out of kernel memory (cache %s)", cp->cache_name);
	}
	buf = cp->cache_freelist;
	cp->cache_freelist = *buf;
	cp->cache_nfree--;
	cp->cache_alloc++;
	lock_clear_splx(&cp->cache_lock, s);
	return buf;
}

void
kmem_cache_free(kmem_cache_t *cp, void *buf)
{
	int s = lock_set_spl(&cp->cache_lock, IPL(IPL_KMEM));
	*(void **)buf = cp->cache_freelist;
	cp->cache_freelist = buf;
	cp->cache_nfree++;
	cp->cache_free++;
	lock_clear_splx(&cp->cache_lock, s);
}

static kmem_cache_t *
kmem_size_to_cache(size_t size)
{
	if (size == 0)
		size = 1;
	if (size <= 1024)
		return kmem_alloc_table[(size - 1) >> KMEM_ALIGN_SHIFT];
	if (size <= KMEM_MAXBUF)
		return kmem_big_alloc_table[(size - 1) >> KMEM_BIG_SHIFT];
	return NULL;
}

void *
kmem_alloc(size_t size, int flag)
{
	kmem_cache_t *cp;
	void *buf;
	KS_INC(kmem_alloc);
	KS_ADD(kmem_alloc_bytes, size);
	cp = kmem_size_to_cache(size);
	if (cp == NULL) {
		KS_INC(kmem_large);
		buf = page_kmem_alloc((int)((size + PAGEOFFSET) >> PAGESHIFT));
		if (buf == NULL && flag == KM_SLEEP)
			panic("kmem_alloc: out of kernel memory (%u bytes)", (uint_t)size);
		return buf;
	}
	return kmem_cache_alloc(cp, flag);
}

void *
kmem_zalloc(size_t size, int flag)
{
	void *buf = kmem_alloc(size, flag);
	if (buf != NULL)
		bzero(buf, size);
	return buf;
}

void
kmem_free(void *buf, size_t size)
{
	kmem_cache_t *cp;
	KS_INC(kmem_free);
	if (buf == NULL)
		return;
	cp = kmem_size_to_cache(size);
	if (cp == NULL) {
		page_kmem_free(buf, (int)((size + PAGEOFFSET) >> PAGESHIFT));
		return;
	}
	kmem_cache_free(cp, buf);
}

void
kmem_init(void)
{
	uint_t i, c = 0;
	size_t size;
	for (i = 0; i < NELEM(kmem_size_classes); i++) {
		snprintf(kmem_class_names[i], sizeof (kmem_class_names[i]), "kmem_alloc_%u", kmem_size_classes[i]);
		kmem_cache_setup(&kmem_caches[i], kmem_class_names[i], kmem_size_classes[i]);
	}
	for (size = 8; size <= 1024; size += 8) {
		while (kmem_size_classes[c] < size)
			c++;
		kmem_alloc_table[(size - 1) >> KMEM_ALIGN_SHIFT] = &kmem_caches[c];
	}
	c = 0;
	for (size = 1024; size <= KMEM_MAXBUF; size += 1024) {
		while (kmem_size_classes[c] < size)
			c++;
		kmem_big_alloc_table[(size - 1) >> KMEM_BIG_SHIFT] = &kmem_caches[c];
	}
}

/* For debugging and kstat: buffers in use over all caches. */
uint_t
kmem_inuse(void)
{
	kmem_cache_t *cp;
	uint_t n = 0;
	for (cp = kmem_cache_list; cp != NULL; cp = cp->cache_next)
		n += cp->cache_total - cp->cache_nfree;
	return n;
}
