/* minisol: pages, the page cache, address spaces (as/seg) and the software HAT's page tables. */
#ifndef _MINISOL_VM_H
#define _MINISOL_VM_H
#include "sys.h"

#define P_FREE    0x0001        /* on the free list, no identity */
#define P_CACHE   0x0002        /* on the cache list: has an identity, clean, reclaimable */
#define P_DIRTY   0x0004
#define P_BUSY    0x0008        /* locked (I/O or being filled) */
#define P_VALID   0x0010        /* contents are valid */
#define P_WANTED  0x0020
#define P_KMEM    0x0040        /* kernel memory (kmem, stacks) */
#define P_AS      0x0080        /* address-space page */
#define P_REF     0x0100
#define P_ERROR   0x0200
#define P_IOASYNC 0x0400        /* readahead: unlock when the read completes */

typedef struct page {
	vnode_t *p_vnode;
	u_offset_t p_offset;
	struct page *p_hash;
	struct page *p_vpnext;      /* vnode's page list */
	struct page *p_vpprev;
	struct page *p_next;        /* free or cache list */
	struct page *p_prev;
	struct page *p_ionext;      /* pages of one I/O */
	caddr_t p_addr;             /* the frame (physical = virtual) */
	volatile ushort_t p_flags;
	ushort_t p_lckcnt;
	uint_t p_pfn;
	uint_t p_lastuse;
} page_t;

/* Protection and PTE bits of the software HAT (one 32-bit PTE per page). */
#define PTE_VALID  0x001
#define PTE_READ   0x002
#define PTE_WRITE  0x004
#define PTE_EXEC   0x008
#define PTE_REF    0x010
#define PTE_MOD    0x020
#define PTE_SWAPPED 0x040       /* not resident: the slot holds a swap index << 12 */
#define PTE_PROT   (PTE_READ | PTE_WRITE | PTE_EXEC)
#define PTE_PFN(pte) ((pte) & ~0xfffu)

#define HAT_L1_SHIFT 22
#define HAT_L2_SHIFT 12
#define HAT_L1_ENTRIES 1024
#define HAT_L2_ENTRIES 1024

typedef struct hat {
	uint_t *hat_l1[HAT_L1_ENTRIES];   /* level-1 table: pointers to level-2 tables of PTEs */
	uint_t hat_rss;             /* resident pages */
	uint_t hat_swapped;         /* pages out on swap */
	uint_t hat_l2count;
	lock_t hat_lock;
	struct as *hat_as;
} hat_t;

typedef struct seg {
	uint_t s_base;
	uint_t s_size;
	uint_t s_prot;
	struct seg *s_next;
	struct as *s_as;
	const char *s_name;
} seg_t;

typedef struct as {
	kmutex_t a_lock;
	seg_t *a_segs;
	hat_t *a_hat;
	uint_t a_size;
	uint_t a_nsegs;
	uint_t a_faults;
} as_t;

#define USERTEXT  0x00010000
#define USERDATA  0x00100000
#define USERHEAP  0x00200000
#define USERSTACK 0x7f000000
#define USERSTACKSZ 0x4000

extern as_t *as_alloc(void);
extern void as_free(as_t *as);
extern as_t *as_dup(as_t *as);
extern int as_map(as_t *as, uint_t base, uint_t size, uint_t prot, const char *name);
extern int as_unmap(as_t *as, uint_t base, uint_t size);
extern int as_setprot(as_t *as, uint_t base, uint_t size, uint_t prot);
extern int as_fault(as_t *as, uint_t addr, int rw);
extern int as_touch(as_t *as, uint_t addr, uint_t len, int rw);
extern hat_t *hat_alloc(as_t *as);
extern void hat_free(hat_t *hat);
extern void hat_memload(hat_t *hat, uint_t va, page_t *pp, uint_t prot);
extern void hat_unload(hat_t *hat, uint_t va, uint_t len);
extern void hat_chgprot(hat_t *hat, uint_t va, uint_t len, uint_t prot);
extern uint_t hat_getpte(hat_t *hat, uint_t va);
extern int hat_swapin(hat_t *hat);
extern int hat_swapout(hat_t *hat);
extern page_t *page_get_free(int flags);
extern void page_free(page_t *pp);
extern page_t *page_frompp(caddr_t addr);
extern void page_hashout(page_t *pp);
extern int page_wait_unbusy(page_t *pp);
extern void page_io_done(page_t *pp, int error);
extern void page_cachelist_add(page_t *pp);
extern void page_reclaim_from_cache(page_t *pp);
extern void vm_pageout_wakeup(void);
extern void vm_start_daemons(void);
extern void page_setdirty(page_t *pp);
extern int page_start_writeback(page_t *pp);
extern void page_end_writeback(page_t *pp, int error);
extern int pvn_vplist_dirty_fn(vnode_t *vp, u_offset_t off, int (*putfn)(vnode_t *, page_t *, int), int flags);
extern void pvn_wait_io(vnode_t *vp);
extern page_t *pages;
extern uint_t npages;
extern lock_t page_lock;

#endif
