/*
 * vm: physical pages and the page cache (hashed by vnode and offset, a free list and an LRU cache
 * list of clean pages that keep their identity), the pageout daemon, and processes' address
 * spaces: segments over a software HAT whose two-level page tables the kernel really walks
 * (hat_memload, hat_unload, hat_chgprot), with swapping to kernel-heap swap slots (hat_swapout,
 * hat_swapin). There is no MMU: these tables describe the processes' (simulated) user memory.
 */
#include "sys.h"
#include "vm.h"

extern caddr_t physmem_base;
extern size_t physmem_size;

page_t *pages;
uint_t npages;
int freemem;
static int lotsfree, desfree;
lock_t page_lock;                       /* page lists, hash, flags; at IPL_BIO */
static page_t page_freelist;            /* circular, no identity */
static page_t page_cachelist;           /* circular LRU: p_next is the oldest */
#define PAGE_HASHSZ 1024
static page_t *page_hash[PAGE_HASHSZ];
#define PAGE_HASH(vp, off) (&page_hash[((((uint_t)(vp)) >> 5) + ((off) >> PAGESHIFT)) & (PAGE_HASHSZ - 1)])
static kthread_t *pageout_thread;
static volatile int pageout_wanted;
static volatile int page_freewait;
static kmem_cache_t *as_cache, *seg_cache;
static uint_t vm_swap_slots_used;
static uint_t pageout_hand;

static void
plist_insert_tail(page_t *head, page_t *pp)
{
	pp->p_next = head;
	pp->p_prev = head->p_prev;
	head->p_prev->p_next = pp;
	head->p_prev = pp;
}

static void
plist_remove(page_t *pp)
{
	pp->p_prev->p_next = pp->p_next;
	pp->p_next->p_prev = pp->p_prev;
	pp->p_next = pp->p_prev = NULL;
}

/* Run once at boot (from main, before threads): the page structures of the page pool. */
static __noinline __used void
_init(void)
{
	uint_t i;
	uint_t base = P2ROUNDUP((uint_t)physmem_base, PAGESIZE);
	npages = (uint_t)(physmem_size >> PAGESHIFT);
	pages = (page_t *)page_kmem_alloc((int)((npages * sizeof (page_t) + PAGEOFFSET) >> PAGESHIFT));
	if (pages == NULL)
		panic("vm: no memory for %u page structures", npages);
	page_freelist.p_next = page_freelist.p_prev = &page_freelist;
	page_cachelist.p_next = page_cachelist.p_prev = &page_cachelist;
	for (i = 0; i < npages; i++) {
		page_t *pp = &pages[i];
		bzero(pp, sizeof (*pp));
		pp->p_addr = (caddr_t)(base + i * PAGESIZE);
		pp->p_pfn = (base >> PAGESHIFT) + i;
		pp->p_flags = P_FREE;
		plist_insert_tail(&page_freelist, pp);
	}
	freemem = (int)npages;
	lotsfree = (int)npages / 16 + 8;
	desfree = lotsfree / 2;
	as_cache = kmem_cache_create("as_cache", sizeof (as_t), 8);
	seg_cache = kmem_cache_create("seg_cache", sizeof (seg_t), 8);
	printf("vm: %u pages (%uK) at 0x%x, lotsfree %d, desfree %d\n", npages, npages * 4, base, lotsfree, desfree);
}

page_t *
page_frompp(caddr_t addr)
{
	uint_t pfn = (uint_t)addr >> PAGESHIFT;
	if (npages == 0 || pfn < pages[0].p_pfn || pfn >= pages[0].p_pfn + npages)
		return NULL;
	return &pages[pfn - pages[0].p_pfn];
}

/* ---- the page cache ---------------------------------------------------------------------- */

static void
page_hashin_locked(page_t *pp, vnode_t *vp, u_offset_t off)
{
	page_t **head = PAGE_HASH(vp, off);
	pp->p_vnode = vp;
	pp->p_offset = off;
	pp->p_hash = *head;
	*head = pp;
	pp->p_vpnext = vp->v_pages;
	pp->p_vpprev = NULL;
	if (vp->v_pages != NULL)
		vp->v_pages->p_vpprev = pp;
	vp->v_pages = pp;
	vp->v_npages++;
}

static void
page_hashout_locked(page_t *pp)
{
	vnode_t *vp = pp->p_vnode;
	page_t **ppp;
	if (vp == NULL)
		return;
	for (ppp = PAGE_HASH(vp, pp->p_offset); *ppp != NULL; ppp = &(*ppp)->p_hash) {
		if (*ppp == pp) {
			*ppp = pp->p_hash;
			break;
		}
	}
	if (pp->p_vpprev != NULL)
		pp->p_vpprev->p_vpnext = pp->p_vpnext;
	else
		vp->v_pages = pp->p_vpnext;
	if (pp->p_vpnext != NULL)
		pp->p_vpnext->p_vpprev = pp->p_vpprev;
	if (pp->p_flags & P_DIRTY)
		vp->v_ndirty--;
	vp->v_npages--;
	pp->p_vnode = NULL;
	pp->p_hash = pp->p_vpnext = pp->p_vpprev = NULL;
}

void
page_hashout(page_t *pp)
{
	int s = lock_set_spl(&page_lock, IPL(IPL_BIO));
	page_hashout_locked(pp);
	lock_clear_splx(&page_lock, s);
}

static page_t *
page_find_locked(vnode_t *vp, u_offset_t off)
{
	page_t *pp;
	for (pp = *PAGE_HASH(vp, off); pp != NULL; pp = pp->p_hash)
		if (pp->p_vnode == vp && pp->p_offset == off)
			return pp;
	return NULL;
}

/* Waits until pp is not busy. Called and returns with page_lock held. */
static void
page_wait_locked(page_t *pp)
{
	while (pp->p_flags & P_BUSY) {
		pp->p_flags |= P_WANTED;
		sleep_spin(pp, &page_lock);
	}
}

/*
 * The cached page of vp at off, held (p_lckcnt) and not busy, or NULL. A page on the cache list is
 * reclaimed from it.
 */
page_t *
page_lookup(vnode_t *vp, u_offset_t off)
{
	page_t *pp;
	int s;
	KS_INC(page_lookup);
	s = lock_set_spl(&page_lock, IPL(IPL_BIO));
	for (;;) {
		pp = page_find_locked(vp, off);
		if (pp == NULL)
			break;
		if (pp->p_flags & P_BUSY) {
			pp->p_lckcnt++;
			page_wait_locked(pp);
			pp->p_lckcnt--;
			continue;
		}
		if (pp->p_flags & P_CACHE) {
			plist_remove(pp);
			pp->p_flags &= ~P_CACHE;
			freemem--;
			KS_INC(page_reclaim);
		}
		pp->p_lckcnt++;
		pp->p_flags |= P_REF;
		pp->p_lastuse = (uint_t)lbolt;
		break;
	}
	lock_clear_splx(&page_lock, s);
	return pp;
}

/* A page off the free list, or the oldest cached page (dropping its identity). page_lock held. */
static page_t *
page_take_locked(void)
{
	page_t *pp = page_freelist.p_next;
	if (pp != &page_freelist) {
		plist_remove(pp);
		pp->p_flags = 0;
		freemem--;
		return pp;
	}
	pp = page_cachelist.p_next;
	if (pp != &page_cachelist) {
		plist_remove(pp);
		page_hashout_locked(pp);
		pp->p_flags = 0;
		freemem--;
		KS_INC(page_reclaim);
		return pp;
	}
	return NULL;
}

/* Waits for memory: wakes pageout and sleeps until a page is freed. page_lock held. */
static void
page_wait_free_locked(void)
{
	page_freewait++;
	pageout_wanted = 1;
	if (pageout_thread != NULL)
		wakeup(&pageout_wanted);
	sleep_spin(&page_freewait, &page_lock);
	page_freewait--;
}

/*
 * Creates the page of vp at off: busy, held, not yet valid (the caller fills it and calls
 * page_io_done or page_unbusy). If the page exists meanwhile, returns NULL.
 */
page_t *
page_create(vnode_t *vp, u_offset_t off, int flags)
{
	page_t *pp;
	int s;
	KS_INC(page_create);
	s = lock_set_spl(&page_lock, IPL(IPL_BIO));
	for (;;) {
		if (page_find_locked(vp, off) != NULL) {
			lock_clear_splx(&page_lock, s);
			return NULL;
		}
		pp = page_take_locked();
		if (pp != NULL)
			break;
		if (flags & P_IOASYNC) {
			lock_clear_splx(&page_lock, s);
			return NULL;
		}
		page_wait_free_locked();
	}
	pp->p_flags = P_BUSY | (flags & P_IOASYNC);
	pp->p_lckcnt = 1;
	pp->p_lastuse = (uint_t)lbolt;
	page_hashin_locked(pp, vp, off);
	lock_clear_splx(&page_lock, s);
	if (freemem < lotsfree)
		vm_pageout_wakeup();
	return pp;
}

/* A page without identity, for kernel or address-space use (zeroed). */
page_t *
page_get_free(int flags)
{
	page_t *pp;
	int s = lock_set_spl(&page_lock, IPL(IPL_BIO));
	while ((pp = page_take_locked()) == NULL)
		page_wait_free_locked();
	pp->p_flags = (ushort_t)(flags & (P_AS | P_KMEM));
	pp->p_lckcnt = 1;
	lock_clear_splx(&page_lock, s);
	bzero(pp->p_addr, PAGESIZE);
	if (freemem < lotsfree)
		vm_pageout_wakeup();
	return pp;
}

static void
page_free_locked(page_t *pp)
{
	page_hashout_locked(pp);
	pp->p_flags = P_FREE;
	pp->p_lckcnt = 0;
	plist_insert_tail(&page_freelist, pp);
	freemem++;
	if (page_freewait)
		wakeup(&page_freewait);
}

void
page_free(page_t *pp)
{
	int s;
	KS_INC(page_free);
	s = lock_set_spl(&page_lock, IPL(IPL_BIO));
	page_free_locked(pp);
	lock_clear_splx(&page_lock, s);
}

/* Releases a hold; an unheld, clean, valid page goes to the tail of the cache list. page_lock held. */
static void
page_unlock_locked(page_t *pp)
{
	if (pp->p_lckcnt == 0)
		panic("page_unlock: page %p (pfn 0x%x) is not held", pp, pp->p_pfn);
	pp->p_lckcnt--;
	if (pp->p_lckcnt == 0 && pp->p_vnode != NULL &&
	    (pp->p_flags & (P_DIRTY | P_BUSY | P_VALID | P_CACHE)) == P_VALID) {
		pp->p_flags |= P_CACHE;
		plist_insert_tail(&page_cachelist, pp);
		freemem++;
		if (page_freewait)
			wakeup(&page_freewait);
	}
}

void
page_unlock(page_t *pp)
{
	int s = lock_set_spl(&page_lock, IPL(IPL_BIO));
	page_unlock_locked(pp);
	lock_clear_splx(&page_lock, s);
}

/* Marks a held page dirty (its vnode counts dirty pages for fsflush). */
void
page_setdirty(page_t *pp)
{
	int s = lock_set_spl(&page_lock, IPL(IPL_BIO));
	if (!(pp->p_flags & P_DIRTY)) {
		pp->p_flags |= P_DIRTY;
		if (pp->p_vnode != NULL)
			pp->p_vnode->v_ndirty++;
	}
	pp->p_flags |= P_VALID;
	pp->p_lastuse = (uint_t)lbolt;
	lock_clear_splx(&page_lock, s);
}

/* Clears busy (and dirty, after a write-back) and wakes waiters. */
void
page_io_done(page_t *pp, int error)
{
	int s = lock_set_spl(&page_lock, IPL(IPL_BIO));
	if (error)
		pp->p_flags |= P_ERROR;
	else
		pp->p_flags |= P_VALID;
	pp->p_flags &= ~P_BUSY;
	if (pp->p_flags & P_WANTED) {
		pp->p_flags &= ~P_WANTED;
		wakeup(pp);
	}
	if (pp->p_flags & P_IOASYNC) {
		pp->p_flags &= ~P_IOASYNC;
		if (error) {
			page_hashout_locked(pp);
			pp->p_lckcnt = 0;
			pp->p_flags = P_FREE;
			plist_insert_tail(&page_freelist, pp);
			freemem++;
		} else {
			page_unlock_locked(pp);
		}
	}
	lock_clear_splx(&page_lock, s);
}

/* Marks the start of a write-back: busy; the dirty bit is cleared now (later writes set it again). */
int
page_start_writeback(page_t *pp)
{
	int s = lock_set_spl(&page_lock, IPL(IPL_BIO));
	if ((pp->p_flags & (P_BUSY | P_DIRTY)) != P_DIRTY) {
		lock_clear_splx(&page_lock, s);
		return 0;
	}
	pp->p_flags |= P_BUSY;
	pp->p_flags &= ~P_DIRTY;
	pp->p_vnode->v_ndirty--;
	pp->p_lckcnt++;
	lock_clear_splx(&page_lock, s);
	return 1;
}

/* After a write-back: not busy, drop the hold taken by page_start_writeback. */
void
page_end_writeback(page_t *pp, int error)
{
	int s = lock_set_spl(&page_lock, IPL(IPL_BIO));
	if (error) {
		pp->p_flags |= P_DIRTY;
		if (pp->p_vnode != NULL)
			pp->p_vnode->v_ndirty++;
	}
	pp->p_flags &= ~P_BUSY;
	if (pp->p_flags & P_WANTED) {
		pp->p_flags &= ~P_WANTED;
		wakeup(pp);
	}
	page_unlock_locked(pp);
	lock_clear_splx(&page_lock, s);
}

int
page_wait_unbusy(page_t *pp)
{
	int s = lock_set_spl(&page_lock, IPL(IPL_BIO));
	page_wait_locked(pp);
	lock_clear_splx(&page_lock, s);
	return (pp->p_flags & P_ERROR) ? EIO : 0;
}

/*
 * Destroys the pages of vp at or beyond off (truncation): waits for I/O on them, then frees them
 * whether dirty or not. Pages held by readers are waited for.
 */
void
pvn_truncate(vnode_t *vp, u_offset_t off)
{
	int s = lock_set_spl(&page_lock, IPL(IPL_BIO));
	page_t *pp;
again:
	for (pp = vp->v_pages; pp != NULL; pp = pp->p_vpnext) {
		if (pp->p_offset < off)
			continue;
		if ((pp->p_flags & P_BUSY) || pp->p_lckcnt > 0) {
			pp->p_flags |= P_WANTED;
			sleep_spin(pp, &page_lock);
			goto again;
		}
		if (pp->p_flags & P_CACHE) {
			plist_remove(pp);
			freemem--;
		}
		page_free_locked(pp);
		goto again;
	}
	lock_clear_splx(&page_lock, s);
}

/*
 * Calls putfn on each dirty page of vp at or beyond off (flags: B_ASYNC_PUT). Returns the number
 * of pages submitted.
 */
int
pvn_vplist_dirty_fn(vnode_t *vp, u_offset_t off, int (*putfn)(vnode_t *, page_t *, int), int flags)
{
	int n = 0;
	for (;;) {
		page_t *pp, *target = NULL;
		int s = lock_set_spl(&page_lock, IPL(IPL_BIO));
		for (pp = vp->v_pages; pp != NULL; pp = pp->p_vpnext) {
			if (pp->p_offset >= off && (pp->p_flags & (P_DIRTY | P_BUSY)) == P_DIRTY) {
				target = pp;
				break;
			}
		}
		lock_clear_splx(&page_lock, s);
		if (target == NULL)
			break;
		if (!page_start_writeback(target))
			continue;
		(void)(*putfn)(vp, target, flags);
		n++;
	}
	return n;
}

/* Waits until no page of vp is busy (the end of a synchronous flush). */
void
pvn_wait_io(vnode_t *vp)
{
	int s = lock_set_spl(&page_lock, IPL(IPL_BIO));
	page_t *pp;
again:
	for (pp = vp->v_pages; pp != NULL; pp = pp->p_vpnext) {
		if (pp->p_flags & P_BUSY) {
			pp->p_flags |= P_WANTED;
			sleep_spin(pp, &page_lock);
			goto again;
		}
	}
	lock_clear_splx(&page_lock, s);
}

/* ---- pageout ----------------------------------------------------------------------------- */

void
vm_pageout_wakeup(void)
{
	if (!pageout_wanted) {
		pageout_wanted = 1;
		wakeup(&pageout_wanted);
	}
}

void
vm_clock_tick(void)
{
	if (freemem < lotsfree && pageout_thread != NULL)
		vm_pageout_wakeup();
}

extern int ufs_putpage_one(vnode_t *vp, page_t *pp, int flags);

/*
 * The page scanner (one hand): clean unreferenced pages go to the cache list when their holder
 * forgot them, referenced ones get a second chance, dirty ones are written back asynchronously.
 */
static int
pageout_scan(int want)
{
	uint_t scanned;
	int freed = 0;
	KS_INC(pageout_scans);
	for (scanned = 0; scanned < npages && freed < want; scanned++) {
		page_t *pp = &pages[pageout_hand];
		int s;
		vnode_t *vp;
		pageout_hand = (pageout_hand + 1) % npages;
		s = lock_set_spl(&page_lock, IPL(IPL_BIO));
		vp = pp->p_vnode;
		if (vp == NULL || (pp->p_flags & (P_FREE | P_CACHE | P_BUSY | P_AS | P_KMEM)) || pp->p_lckcnt > 0) {
			lock_clear_splx(&page_lock, s);
			continue;
		}
		if (pp->p_flags & P_REF) {
			pp->p_flags &= ~P_REF;
			lock_clear_splx(&page_lock, s);
			continue;
		}
		lock_clear_splx(&page_lock, s);
		if ((pp->p_flags & P_DIRTY) && page_start_writeback(pp)) {
			(void)ufs_putpage_one(vp, pp, B_ASYNC_PUT);
			freed++;
		}
	}
	return freed;
}

static void
pageout(void *arg)
{
	lock_t lk = 0;
	(void)arg;
	for (;;) {
		int s = splr(IPL(IPL_CLOCK));
		lock_set(&lk);
		while (!pageout_wanted)
			(void)sleep_spin_timed((void *)&pageout_wanted, &lk, hz);
		pageout_wanted = 0;
		lock_clear(&lk);
		splx(s);
		if (freemem < lotsfree)
			(void)pageout_scan(lotsfree - freemem + 8);
	}
}

void
vm_start_daemons(void)
{
	pageout_thread = thread_create(NULL, 0, pageout, NULL, &p0, MINCLSYSPRI + 5, "pageout");
	thread_run(pageout_thread);
}

/* ---- the software HAT -------------------------------------------------------------------- */

hat_t *
hat_alloc(as_t *as)
{
	hat_t *hat = kmem_zalloc(sizeof (hat_t), KM_SLEEP);
	hat->hat_as = as;
	return hat;
}

static uint_t *
hat_pte_ptr(hat_t *hat, uint_t va, int create)
{
	uint_t l1 = va >> HAT_L1_SHIFT;
	uint_t *l2 = hat->hat_l1[l1];
	if (l2 == NULL) {
		if (!create)
			return NULL;
		l2 = (uint_t *)page_kmem_alloc(1);
		if (l2 == NULL)
			panic("hat: no memory for a page table");
		bzero(l2, PAGESIZE);
		hat->hat_l1[l1] = l2;
		hat->hat_l2count++;
	}
	return &l2[(va >> HAT_L2_SHIFT) & (HAT_L2_ENTRIES - 1)];
}

uint_t
hat_getpte(hat_t *hat, uint_t va)
{
	uint_t *ptep = hat_pte_ptr(hat, va, 0);
	return ptep != NULL ? *ptep : 0;
}

void
hat_memload(hat_t *hat, uint_t va, page_t *pp, uint_t prot)
{
	uint_t *ptep;
	KS_INC(hat_memload);
	lock_set(&hat->hat_lock);
	ptep = hat_pte_ptr(hat, va, 1);
	if (!(*ptep & PTE_VALID))
		hat->hat_rss++;
	*ptep = (uint_t)pp->p_addr | (prot & PTE_PROT) | PTE_VALID;
	lock_clear(&hat->hat_lock);
}

/* Unmaps [va, va+len): frees resident pages and swap slots. */
void
hat_unload(hat_t *hat, uint_t va, uint_t len)
{
	uint_t end = va + len;
	KS_INC(hat_unload);
	for (va &= ~PAGEOFFSET; va < end; va += PAGESIZE) {
		uint_t *ptep = hat_pte_ptr(hat, va, 0);
		uint_t pte;
		if (ptep == NULL) {
			va = (va | ((1u << HAT_L1_SHIFT) - 1)) - PAGEOFFSET;
			continue;
		}
		pte = *ptep;
		if (pte & PTE_VALID) {
			page_t *pp = page_frompp((caddr_t)PTE_PFN(pte));
			*ptep = 0;
			hat->hat_rss--;
			if (pp != NULL)
				page_free(pp);
		} else if (pte & PTE_SWAPPED) {
			*ptep = 0;
			hat->hat_swapped--;
			page_kmem_free((caddr_t)PTE_PFN(pte), 1);
			vm_swap_slots_used--;
		}
	}
}

/* Changes the protection of every mapping in [va, va+len), resident or swapped. */
void
hat_chgprot(hat_t *hat, uint_t va, uint_t len, uint_t prot)
{
	uint_t end = va + len;
	KS_INC(hat_chgprot);
	lock_set(&hat->hat_lock);
	for (va &= ~PAGEOFFSET; va < end; va += PAGESIZE) {
		uint_t *ptep = hat_pte_ptr(hat, va, 0);
		if (ptep == NULL) {
			va = (va | ((1u << HAT_L1_SHIFT) - 1)) - PAGEOFFSET;
			continue;
		}
		if (*ptep & (PTE_VALID | PTE_SWAPPED))
			*ptep = (*ptep & ~PTE_PROT) | (prot & PTE_PROT);
	}
	lock_clear(&hat->hat_lock);
}

/* Every resident page out to a swap slot (kernel heap), then freed. Returns pages swapped. */
int
hat_swapout(hat_t *hat)
{
	uint_t l1, i;
	int n = 0;
	KS_INC(hat_swapout);
	for (l1 = 0; l1 < HAT_L1_ENTRIES; l1++) {
		uint_t *l2 = hat->hat_l1[l1];
		if (l2 == NULL)
			continue;
		for (i = 0; i < HAT_L2_ENTRIES; i++) {
			uint_t pte = l2[i];
			page_t *pp;
			caddr_t slot;
			if (!(pte & PTE_VALID))
				continue;
			slot = page_kmem_alloc(1);
			if (slot == NULL)
				return n;
			pp = page_frompp((caddr_t)PTE_PFN(pte));
			memcpy(slot, (caddr_t)PTE_PFN(pte), PAGESIZE);
			l2[i] = (uint_t)slot | (pte & PTE_PROT) | PTE_SWAPPED;
			hat->hat_rss--;
			hat->hat_swapped++;
			vm_swap_slots_used++;
			if (pp != NULL)
				page_free(pp);
			n++;
		}
	}
	KS_ADD(swapout_pages, n);
	return n;
}

/* Brings one swapped page back. */
static void
hat_swapin_pte(hat_t *hat, uint_t *ptep)
{
	uint_t pte = *ptep;
	page_t *pp = page_get_free(P_AS);
	memcpy(pp->p_addr, (caddr_t)PTE_PFN(pte), PAGESIZE);
	page_kmem_free((caddr_t)PTE_PFN(pte), 1);
	vm_swap_slots_used--;
	*ptep = (uint_t)pp->p_addr | (pte & PTE_PROT) | PTE_VALID;
	hat->hat_rss++;
	hat->hat_swapped--;
}

/* Every swapped page of the address space back into memory. Returns pages swapped in. */
int
hat_swapin(hat_t *hat)
{
	uint_t l1, i;
	int n = 0;
	KS_INC(hat_swapin);
	for (l1 = 0; l1 < HAT_L1_ENTRIES && hat->hat_swapped > 0; l1++) {
		uint_t *l2 = hat->hat_l1[l1];
		if (l2 == NULL)
			continue;
		for (i = 0; i < HAT_L2_ENTRIES; i++) {
			if (l2[i] & PTE_SWAPPED) {
				hat_swapin_pte(hat, &l2[i]);
				n++;
			}
		}
	}
	KS_ADD(swapin_pages, n);
	return n;
}

void
hat_free(hat_t *hat)
{
	uint_t l1;
	for (l1 = 0; l1 < HAT_L1_ENTRIES; l1++) {
		if (hat->hat_l1[l1] != NULL) {
			hat_unload(hat, l1 << HAT_L1_SHIFT, 1u << HAT_L1_SHIFT);
			page_kmem_free((caddr_t)hat->hat_l1[l1], 1);
			hat->hat_l1[l1] = NULL;
		}
	}
	kmem_free(hat, sizeof (hat_t));
}

/* ---- address spaces ---------------------------------------------------------------------- */

as_t *
as_alloc(void)
{
	as_t *as = kmem_cache_alloc(as_cache, KM_SLEEP);
	bzero(as, sizeof (*as));
	mutex_init(&as->a_lock, "a_lock");
	as->a_hat = hat_alloc(as);
	return as;
}

static seg_t *
as_findseg(as_t *as, uint_t addr)
{
	seg_t *seg;
	for (seg = as->a_segs; seg != NULL; seg = seg->s_next)
		if (addr >= seg->s_base && addr < seg->s_base + seg->s_size)
			return seg;
	return NULL;
}

static int
as_map_locked(as_t *as, uint_t base, uint_t size, uint_t prot, const char *name)
{
	seg_t *seg, **spp;
	base &= ~PAGEOFFSET;
	size = P2ROUNDUP(size, PAGESIZE);
	if (size == 0 || base + size < base)
		return EINVAL;
	for (seg = as->a_segs; seg != NULL; seg = seg->s_next)
		if (base < seg->s_base + seg->s_size && seg->s_base < base + size)
			return ENOMEM;
	seg = kmem_cache_alloc(seg_cache, KM_SLEEP);
	seg->s_base = base;
	seg->s_size = size;
	seg->s_prot = prot;
	seg->s_as = as;
	seg->s_name = name;
	for (spp = &as->a_segs; *spp != NULL && (*spp)->s_base < base; spp = &(*spp)->s_next)
		;
	seg->s_next = *spp;
	*spp = seg;
	as->a_size += size;
	as->a_nsegs++;
	return 0;
}

int
as_map(as_t *as, uint_t base, uint_t size, uint_t prot, const char *name)
{
	int error;
	mutex_enter(&as->a_lock);
	error = as_map_locked(as, base, size, prot, name);
	mutex_exit(&as->a_lock);
	return error;
}

/* Removes whole segments inside [base, base+size) and trims the ones at its ends. */
int
as_unmap(as_t *as, uint_t base, uint_t size)
{
	seg_t *seg, **spp;
	uint_t end;
	base &= ~PAGEOFFSET;
	end = base + P2ROUNDUP(size, PAGESIZE);
	mutex_enter(&as->a_lock);
	hat_unload(as->a_hat, base, end - base);
	for (spp = &as->a_segs; (seg = *spp) != NULL;) {
		uint_t sb = seg->s_base, se = seg->s_base + seg->s_size;
		if (se <= base || sb >= end) {
			spp = &seg->s_next;
			continue;
		}
		if (sb >= base && se <= end) {
			*spp = seg->s_next;
			as->a_size -= seg->s_size;
			as->a_nsegs--;
			kmem_cache_free(seg_cache, seg);
			continue;
		}
		if (sb < base) {
			as->a_size -= se - base;
			seg->s_size = base - sb;
		} else {
			as->a_size -= end - sb;
			seg->s_base = end;
			seg->s_size = se - end;
		}
		spp = &seg->s_next;
	}
	mutex_exit(&as->a_lock);
	return 0;
}

/* mprotect: new protection for the segments in the range and their mappings (hat_chgprot). */
int
as_setprot(as_t *as, uint_t base, uint_t size, uint_t prot)
{
	seg_t *seg;
	int found = 0;
	mutex_enter(&as->a_lock);
	for (seg = as->a_segs; seg != NULL; seg = seg->s_next) {
		if (base < seg->s_base + seg->s_size && seg->s_base < base + size) {
			found = 1;
			if (base <= seg->s_base && base + size >= seg->s_base + seg->s_size)
				seg->s_prot = prot;
		}
	}
	if (found)
		hat_chgprot(as->a_hat, base, size, prot);
	mutex_exit(&as->a_lock);
	return found ? 0 : ENOMEM;
}

static int
as_fault_locked(as_t *as, uint_t addr, int rw)
{
	seg_t *seg = as_findseg(as, addr);
	uint_t *ptep;
	KS_INC(as_fault);
	as->a_faults++;
	if (seg == NULL)
		return EFAULT;
	if ((rw == UIO_WRITE && !(seg->s_prot & PROT_WRITE)) || (rw == UIO_READ && !(seg->s_prot & (PROT_READ | PROT_EXEC))))
		return EFAULT;
	ptep = hat_pte_ptr(as->a_hat, addr, 1);
	if (*ptep & PTE_SWAPPED) {
		hat_swapin_pte(as->a_hat, ptep);
		KS_INC(swapin_pages);
		return 0;
	}
	if (!(*ptep & PTE_VALID)) {
		page_t *pp = page_get_free(P_AS);
		hat_memload(as->a_hat, addr & ~PAGEOFFSET, pp, seg->s_prot);
	}
	return 0;
}

int
as_fault(as_t *as, uint_t addr, int rw)
{
	int error;
	mutex_enter(&as->a_lock);
	error = as_fault_locked(as, addr, rw);
	mutex_exit(&as->a_lock);
	return error;
}

/*
 * Touches [addr, addr+len) as the process' own loads and stores would: a valid mapping with the
 * right protection just sets the referenced/modified bits (and writes a word into the page),
 * anything else faults.
 */
int
as_touch(as_t *as, uint_t addr, uint_t len, int rw)
{
	uint_t va, end = addr + len;
	int error = 0;
	mutex_enter(&as->a_lock);
	for (va = addr & ~PAGEOFFSET; va < end && error == 0; va += PAGESIZE) {
		uint_t *ptep = hat_pte_ptr(as->a_hat, va, 1);
		uint_t need = rw == UIO_WRITE ? PTE_WRITE : PTE_READ;
		if ((*ptep & PTE_VALID) && (*ptep & need)) {
			*ptep |= PTE_REF | (rw == UIO_WRITE ? PTE_MOD : 0);
			if (rw == UIO_WRITE)
				((uint_t *)PTE_PFN(*ptep))[(va >> 4) & 1023] = va;
			continue;
		}
		if (*ptep & (PTE_VALID | PTE_SWAPPED)) {
			error = as_fault_locked(as, va, rw);
			if (error == 0 && !(hat_getpte(as->a_hat, va) & need))
				error = EFAULT;
			continue;
		}
		error = as_fault_locked(as, va, rw);
	}
	mutex_exit(&as->a_lock);
	return error;
}

/* fork: the same segments, and a copy of every resident or swapped page. */
as_t *
as_dup(as_t *as)
{
	as_t *nas = as_alloc();
	seg_t *seg;
	KS_INC(as_dup);
	mutex_enter(&as->a_lock);
	for (seg = as->a_segs; seg != NULL; seg = seg->s_next) {
		uint_t va;
		(void)as_map_locked(nas, seg->s_base, seg->s_size, seg->s_prot, seg->s_name);
		for (va = seg->s_base; va < seg->s_base + seg->s_size; va += PAGESIZE) {
			uint_t pte = hat_getpte(as->a_hat, va);
			page_t *pp;
			if (!(pte & (PTE_VALID | PTE_SWAPPED)))
				continue;
			pp = page_get_free(P_AS);
			memcpy(pp->p_addr, (caddr_t)PTE_PFN(pte), PAGESIZE);
			hat_memload(nas->a_hat, va, pp, pte & PTE_PROT);
		}
	}
	mutex_exit(&as->a_lock);
	return nas;
}

void
as_free(as_t *as)
{
	seg_t *seg;
	mutex_enter(&as->a_lock);
	while ((seg = as->a_segs) != NULL) {
		as->a_segs = seg->s_next;
		kmem_cache_free(seg_cache, seg);
	}
	hat_free(as->a_hat);
	as->a_hat = NULL;
	mutex_exit(&as->a_lock);
	kmem_cache_free(as_cache, as);
}

int
as_swapin(as_t *as)
{
	int n;
	mutex_enter(&as->a_lock);
	n = hat_swapin(as->a_hat);
	mutex_exit(&as->a_lock);
	return n;
}

/* Never called (vm is part of the kernel image); springboard space. */
static __noinline __used int
_fini(void)
{
	if (npages > 0) {
		cmn_err(CE_NOTE, "vm: %d of %u pages free, %u swap slots in use", freemem, npages, vm_swap_slots_used);
		return EBUSY;
	}
	return 0;
}

struct modlinkage vm_modlinkage = { "vm", _init, _fini, 1, 0 };
