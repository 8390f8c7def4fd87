/*
 * ip: IPv4 input and output. ip_rput validates a received datagram (version, header length,
 * ip_csum_hdr, length, destination, fragments) and demultiplexes it to TCP or ICMP; ip_wput
 * prepends the IP and Ethernet headers and hands the frame to hme_start. One static route: every
 * destination is reached through the peer on the wire (the host's traffic generator).
 */
#include "sys.h"
#include "net.h"

uint32_t ip_myaddr;
uint8_t ip_mymac[6];
uint8_t ip_gwmac[6];
static uint16_t ip_ident;
static lock_t ip_ident_lock;

struct ip_stats {
	uint_t in;
	uint_t in_bad_version;
	uint_t in_bad_hlen;
	uint_t in_bad_sum;
	uint_t in_bad_len;
	uint_t in_not_mine;
	uint_t in_fragments;
	uint_t in_options;
	uint_t in_unknown_proto;
	uint_t out;
	uint_t icmp_echo;
} ip_stats;

/* One's complement sum of len bytes at p (2-byte aligned) added to sum. */
uint32_t
ip_cksum_partial(const uchar_t *p, int len, uint32_t sum)
{
	const uint16_t *w = (const uint16_t *)p;
	while (len >= 16) {
		sum += w[0] + w[1] + w[2] + w[3] + w[4] + w[5] + w[6] + w[7];
		w += 8;
		len -= 16;
	}
	while (len >= 2) {
		sum += *w++;
		len -= 2;
	}
	if (len > 0)
		sum += (uint32_t)(*(const uchar_t *)w) << 8;
	return sum;
}

uint16_t
ip_cksum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Sum over a message starting off bytes into it. */
uint32_t
ip_cksum_mblk(mblk_t *mp, int off, uint32_t sum)
{
	int odd = 0;
	for (; mp != NULL; mp = mp->b_cont) {
		int len = MBLKL(mp);
		const uchar_t *p = mp->b_rptr;
		if (off >= len) {
			off -= len;
			continue;
		}
		p += off;
		len -= off;
		off = 0;
		if (odd) {
			sum += *p++;
			len--;
			odd = 0;
		}
		if (((uintptr_t)p & 1) == 0) {
			sum = ip_cksum_partial(p, len & ~1, sum);
		} else {
			int i;
			for (i = 0; i + 1 < len; i += 2)
				sum += (uint32_t)(p[i] << 8 | p[i + 1]);
		}
		if (len & 1) {
			sum += (uint32_t)p[len - 1] << 8;
			odd = 1;
		}
	}
	return sum;
}

/* The checksum of an IP header as it stands: 0 when the stored checksum is right. */
uint16_t
ip_csum_hdr(struct ip *iph)
{
	int hlen = (iph->ip_vhl & 0xf) << 2;
	const uint16_t *w = (const uint16_t *)iph;
	uint32_t sum;
	KS_INC(ip_csum_hdr);
	sum = (uint32_t)w[0] + w[1] + w[2] + w[3] + w[4] + w[5] + w[6] + w[7] + w[8] + w[9];
	if (hlen > IP_HDRLEN)
		sum = ip_cksum_partial((const uchar_t *)iph + IP_HDRLEN, hlen - IP_HDRLEN, sum);
	return ip_cksum_fold(sum);
}

static void
icmp_input(mblk_t *mp, struct ip *iph, int hlen)
{
	struct icmp *ic = (struct icmp *)((uchar_t *)iph + hlen);
	int len = iph->ip_len - hlen;
	uint32_t src;
	KS_INC(icmp_in);
	if (len < 8 || ip_cksum_fold(ip_cksum_partial((uchar_t *)ic, len, 0)) != 0 || ic->icmp_type != 8) {
		freemsg(mp);
		return;
	}
	/* echo request: answer in place */
	ip_stats.icmp_echo++;
	ic->icmp_type = 0;
	ic->icmp_cksum = 0;
	ic->icmp_cksum = ip_cksum_fold(ip_cksum_partial((uchar_t *)ic, len, 0));
	src = iph->ip_src;
	mp->b_rptr = (uchar_t *)ic;
	mp->b_wptr = mp->b_rptr + len;
	(void)ip_wput(mp, src, IPPROTO_ICMP);
}

/* IP input, from hmeread: mp starts at the IP header. */
void
ip_rput(mblk_t *mp)
{
	struct ip *iph;
	int hlen, len;
	KS_INC(ip_rput);
	ip_stats.in++;
	if (MBLKL(mp) < IP_HDRLEN || ((uintptr_t)mp->b_rptr & 3) != 0) {
		mblk_t *np = pullupmsg_copy(mp, -1);
		freemsg(mp);
		if (np == NULL)
			return;
		mp = np;
		if (MBLKL(mp) < IP_HDRLEN) {
			ip_stats.in_bad_len++;
			KS_INC(ip_bad);
			freemsg(mp);
			return;
		}
	}
	iph = (struct ip *)mp->b_rptr;
	if ((iph->ip_vhl >> 4) != 4) {
		ip_stats.in_bad_version++;
		KS_INC(ip_bad);
		freemsg(mp);
		return;
	}
	hlen = (iph->ip_vhl & 0xf) << 2;
	if (hlen < IP_HDRLEN || hlen > MBLKL(mp)) {
		ip_stats.in_bad_hlen++;
		KS_INC(ip_bad);
		freemsg(mp);
		return;
	}
	if (hlen > IP_HDRLEN)
		ip_stats.in_options++;
	if (ip_csum_hdr(iph) != 0) {
		ip_stats.in_bad_sum++;
		KS_INC(ip_bad);
		freemsg(mp);
		return;
	}
	len = iph->ip_len;
	if (len < hlen || len > (int)msgdsize(mp)) {
		ip_stats.in_bad_len++;
		KS_INC(ip_bad);
		freemsg(mp);
		return;
	}
	if (len < (int)msgdsize(mp))
		(void)adjmsg(mp, len - (int)msgdsize(mp));
	if (iph->ip_dst != ip_myaddr) {
		ip_stats.in_not_mine++;
		freemsg(mp);
		return;
	}
	if (iph->ip_off & (IP_MF | IP_OFFMASK)) {
		/* no reassembly: the peer sets DF */
		ip_stats.in_fragments++;
		KS_INC(ip_bad);
		freemsg(mp);
		return;
	}
	switch (iph->ip_p) {
	case IPPROTO_TCP:
		tcp_input(mp, iph, hlen);
		break;
	case IPPROTO_ICMP:
		icmp_input(mp, iph, hlen);
		break;
	default:
		ip_stats.in_unknown_proto++;
		freemsg(mp);
		break;
	}
}

/*
 * IP output: mp starts at the transport header with room for the IP and Ethernet headers in
 * front of it (ETHER_HDRLEN + IP_HDRLEN bytes, so that the IP header is word-aligned).
 */
int
ip_wput(mblk_t *mp, uint32_t dst, int proto)
{
	struct ip *iph;
	struct ether_header *eh;
	int len = (int)msgdsize(mp);
	int s;
	KS_INC(ip_wput);
	ip_stats.out++;
	if (mp->b_rptr - mp->b_datap->db_base < IP_HDRLEN + ETHER_HDRLEN) {
		mblk_t *hp = allocb(IP_HDRLEN + ETHER_HDRLEN + 2, BPRI_MED);
		if (hp == NULL) {
			freemsg(mp);
			return ENOMEM;
		}
		hp->b_rptr = hp->b_wptr = hp->b_datap->db_lim;
		hp->b_cont = mp;
		mp = hp;
	}
	mp->b_rptr -= IP_HDRLEN;
	iph = (struct ip *)mp->b_rptr;
	iph->ip_vhl = 0x45;
	iph->ip_tos = 0;
	iph->ip_len = (uint16_t)(len + IP_HDRLEN);
	s = lock_set_spl(&ip_ident_lock, IPL(IPL_TCP));
	iph->ip_id = ip_ident++;
	lock_clear_splx(&ip_ident_lock, s);
	iph->ip_off = IP_DF;
	iph->ip_ttl = 64;
	iph->ip_p = (uint8_t)proto;
	iph->ip_sum = 0;
	iph->ip_src = ip_myaddr;
	iph->ip_dst = dst;
	iph->ip_sum = ip_csum_hdr(iph);
	mp->b_rptr -= ETHER_HDRLEN;
	eh = (struct ether_header *)mp->b_rptr;
	memcpy(eh->ether_dhost, ip_gwmac, 6);
	memcpy(eh->ether_shost, ip_mymac, 6);
	((uchar_t *)&eh->ether_type)[0] = ETHERTYPE_IP >> 8;
	((uchar_t *)&eh->ether_type)[1] = ETHERTYPE_IP & 0xff;
	return hme_start(mp) == 0 ? 0 : EIO;
}

/* Run once at boot: addresses from the boot parameters. */
static __noinline __used void
_init(void)
{
	uint_t hi = bootparam[BP_net_mac_hi], lo = bootparam[BP_net_mac_lo];
	ip_myaddr = bootparam[BP_net_ip] != 0 ? bootparam[BP_net_ip] : 0x0a000102;
	ip_gwmac[0] = (uint8_t)(hi >> 8);
	ip_gwmac[1] = (uint8_t)hi;
	ip_gwmac[2] = (uint8_t)(lo >> 24);
	ip_gwmac[3] = (uint8_t)(lo >> 16);
	ip_gwmac[4] = (uint8_t)(lo >> 8);
	ip_gwmac[5] = (uint8_t)lo;
	ip_ident = (uint16_t)(bootparam[BP_seed] * 2654435761u >> 16);
	printf("ip: %u.%u.%u.%u, gateway %x:%x:%x:%x:%x:%x\n",
	    ip_myaddr >> 24, (ip_myaddr >> 16) & 255, (ip_myaddr >> 8) & 255, ip_myaddr & 255,
	    ip_gwmac[0], ip_gwmac[1], ip_gwmac[2], ip_gwmac[3], ip_gwmac[4], ip_gwmac[5]);
}

/* Never called; springboard space. */
static __noinline __used int
_fini(void)
{
	if (ip_stats.in > 0 || ip_stats.out > 0) {
		cmn_err(CE_NOTE, "ip: busy: %u in (%u bad checksums, %u not mine), %u out",
		    ip_stats.in, ip_stats.in_bad_sum, ip_stats.in_not_mine, ip_stats.out);
		return EBUSY;
	}
	return 0;
}

struct modlinkage ip_modlinkage = { "ip", _init, _fini, 0, 0 };
