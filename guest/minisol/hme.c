/*
 * hme: the Ethernet driver. Receive and transmit descriptor rings in memory shared with the NIC
 * (see devices.h); hmeintr takes received frames off the RX ring into STREAMS messages and hands
 * them to ip_rput, and reclaims transmitted descriptors; hme_start copies a frame into a TX
 * buffer and gives the descriptor to the device.
 */
#include "sys.h"
#include "net.h"

#define HME_NRX 64
#define HME_NTX 64
#define HME_BUFSZ 1536

static volatile uint_t *const hmeregs = (volatile uint_t *)NIC_BASE;
#define HME_REG(off) hmeregs[(off) / 4]
static volatile uint_t *rx_ring, *tx_ring;     /* 4 words per descriptor */
static uchar_t *rx_bufs[HME_NRX];
static uchar_t *tx_bufs[HME_NTX];
static uint_t rx_next, tx_prod, tx_cons;
static lock_t hme_lock;                         /* the TX ring; at IPL_TCP (TCP sends under its lock) */
static lock_t hme_rx_lock;

struct hme_stats {
	uint_t rx_frames;
	uint_t rx_bytes;
	uint_t rx_nobuf;
	uint_t rx_badtype;
	uint_t tx_frames;
	uint_t tx_bytes;
	uint_t tx_full;
	uint_t intrs;
} hme_stats;

/* Passes a received frame up: Ethernet header off, IPv4 to ip_rput. */
static void
hmeread(mblk_t *mp)
{
	struct ether_header *eh = (struct ether_header *)mp->b_rptr;
	uint16_t type;
	if (MBLKL(mp) < ETHER_HDRLEN) {
		freemsg(mp);
		return;
	}
	type = (uint16_t)((((uchar_t *)&eh->ether_type)[0] << 8) | ((uchar_t *)&eh->ether_type)[1]);
	if (type != ETHERTYPE_IP) {
		hme_stats.rx_badtype++;
		freemsg(mp);
		return;
	}
	mp->b_rptr += ETHER_HDRLEN;
	ip_rput(mp);
}

static void
hme_reclaim_tx(void)
{
	while (tx_cons != tx_prod) {
		volatile uint_t *d = &tx_ring[(tx_cons % HME_NTX) * 4];
		if (d[0] & HMED_OWN)
			break;
		tx_cons++;
	}
}

void
hmeintr(void *arg)
{
	uint_t status;
	int s;
	(void)arg;
	KS_INC(hmeintr);
	hme_stats.intrs++;
	status = HME_REG(HME_STATUS);
	HME_REG(HME_STATUS) = status;
	if (status & HME_ST_TX) {
		s = lock_set_spl(&hme_lock, IPL(IPL_TCP));
		hme_reclaim_tx();
		lock_clear_splx(&hme_lock, s);
	}
	for (;;) {
		volatile uint_t *d;
		uint_t flags, len;
		mblk_t *mp;
		s = lock_set_spl(&hme_rx_lock, IPL(IPL_NET));
		d = &rx_ring[(rx_next % HME_NRX) * 4];
		flags = d[0];
		if (flags & HMED_OWN) {
			lock_clear_splx(&hme_rx_lock, s);
			break;
		}
		len = flags & HMED_LEN;
		mp = (flags & HMED_ERR) ? NULL : allocb(len + 2, BPRI_MED);
		if (mp != NULL) {
			mp->b_rptr += 2;                /* so that the IP header is word-aligned */
			memcpy(mp->b_rptr, rx_bufs[rx_next % HME_NRX] + 2, len);
			mp->b_wptr = mp->b_rptr + len;
		} else {
			hme_stats.rx_nobuf++;
		}
		d[0] = HMED_OWN;
		rx_next++;
		lock_clear_splx(&hme_rx_lock, s);
		if (mp == NULL)
			continue;
		hme_stats.rx_frames++;
		hme_stats.rx_bytes += len;
		KS_INC(hme_rx_frames);
		hmeread(mp);
	}
}

/* Sends a frame (Ethernet header included). Frees the message. Returns 0, or -1 if the ring is full. */
int
hme_start(mblk_t *mp)
{
	volatile uint_t *d;
	uchar_t *buf;
	mblk_t *bp;
	uint_t len = 0;
	int s;
	KS_INC(hme_start);
	s = lock_set_spl(&hme_lock, IPL(IPL_TCP));
	if (tx_prod - tx_cons >= HME_NTX)
		hme_reclaim_tx();
	if (tx_prod - tx_cons >= HME_NTX) {
		lock_clear_splx(&hme_lock, s);
		hme_stats.tx_full++;
		KS_INC(hme_tx_full);
		freemsg(mp);
		return -1;
	}
	d = &tx_ring[(tx_prod % HME_NTX) * 4];
	buf = tx_bufs[tx_prod % HME_NTX];
	for (bp = mp; bp != NULL; bp = bp->b_cont) {
		uint_t n = (uint_t)MBLKL(bp);
		if (len + n > HME_BUFSZ)
			n = HME_BUFSZ - len;
		memcpy(buf + len, bp->b_rptr, n);
		len += n;
	}
	d[1] = (uint_t)buf;
	d[2] = HME_BUFSZ;
	d[0] = HMED_OWN | len;
	tx_prod++;
	HME_REG(HME_TX_KICK) = 1;
	lock_clear_splx(&hme_lock, s);
	hme_stats.tx_frames++;
	hme_stats.tx_bytes += len;
	KS_INC(hme_tx_frames);
	freemsg(mp);
	return 0;
}

/* Run once at boot: rings, buffers, the station address, interrupts. */
static __noinline __used void
_init(void)
{
	uint_t i, mac_hi, mac_lo;
	rx_ring = kmem_zalloc(HME_NRX * HMED_SIZEOF, KM_SLEEP);
	tx_ring = kmem_zalloc(HME_NTX * HMED_SIZEOF, KM_SLEEP);
	for (i = 0; i < HME_NRX; i++) {
		rx_bufs[i] = kmem_alloc(HME_BUFSZ + 8, KM_SLEEP);
		rx_ring[i * 4 + 1] = (uint_t)rx_bufs[i] + 2;
		rx_ring[i * 4 + 2] = HME_BUFSZ;
		rx_ring[i * 4 + 0] = HMED_OWN;
	}
	for (i = 0; i < HME_NTX; i++)
		tx_bufs[i] = kmem_alloc(HME_BUFSZ, KM_SLEEP);
	mac_hi = HME_REG(HME_MAC_HI);
	mac_lo = HME_REG(HME_MAC_LO);
	ip_mymac[0] = (uint8_t)(mac_hi >> 8);
	ip_mymac[1] = (uint8_t)mac_hi;
	ip_mymac[2] = (uint8_t)(mac_lo >> 24);
	ip_mymac[3] = (uint8_t)(mac_lo >> 16);
	ip_mymac[4] = (uint8_t)(mac_lo >> 8);
	ip_mymac[5] = (uint8_t)mac_lo;
	HME_REG(HME_RX_RING) = (uint_t)rx_ring;
	HME_REG(HME_RX_SIZE) = HME_NRX;
	HME_REG(HME_TX_RING) = (uint_t)tx_ring;
	HME_REG(HME_TX_SIZE) = HME_NTX;
	HME_REG(HME_INTR_TARGET) = ncpus > 1 ? 1u : 0u;
	add_intr(IPL_NET, hmeintr, NULL, "hme");
	HME_REG(HME_CTRL) = HME_CTRL_RX | HME_CTRL_TX | HME_CTRL_INTR;
	printf("hme0: %x:%x:%x:%x:%x:%x, %d rx and %d tx descriptors, interrupts to cpu %u\n",
	    ip_mymac[0], ip_mymac[1], ip_mymac[2], ip_mymac[3], ip_mymac[4], ip_mymac[5],
	    HME_NRX, HME_NTX, HME_REG(HME_INTR_TARGET));
}

/* Never called; springboard space. */
static __noinline __used int
_fini(void)
{
	if (tx_prod != tx_cons || hme_stats.rx_frames > 0) {
		cmn_err(CE_NOTE, "hme0: busy: %u frames in, %u out, %u tx ring full, %u no buffer",
		    hme_stats.rx_frames, hme_stats.tx_frames, hme_stats.tx_full, hme_stats.rx_nobuf);
		return EBUSY;
	}
	HME_REG(HME_CTRL) = 0;
	return 0;
}

struct modlinkage hme_modlinkage = { "hme", _init, _fini, 0, 0 };
