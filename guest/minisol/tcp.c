/*
 * tcp: the Transmission Control Protocol, after 4.4BSD's tcp_input/tcp_output as Solaris 2.x
 * organized it (tcp_rput_data, tcp_wput). Connections are found by tcp_lookup in a hash; each has
 * a spin lock at IPL_TCP that also guards its socket buffers. tcp_rput_data is the big input
 * routine with a header-predicted fast path (in-order data, pure ACKs) and the cold paths a real
 * one has: option parsing, trimming of duplicate and out-of-window data, out-of-order
 * reassembly, urgent data, window updates, duplicate ACKs and fast retransmit, RST and FIN
 * processing, and the state machine. Timers run from the clock every TCP tick.
 */
#include "sys.h"
#include "net.h"

#define TCP_TICK_HZ     100             /* the slow timer runs 100 times a second */
#define TCPTV_MIN       2               /* minimum retransmission timeout, ticks (20 ms) */
#define TCPTV_REXMTMAX  64
#define TCPTV_MSL       10              /* 100 ms: short, the peer is one hop away */
#define TCPTV_KEEP_INIT 300             /* connection establishment: 3 s */
#define TCPTV_PERSMIN   5
#define TCPTV_PERSMAX   60
#define TCP_MAXRXTSHIFT 12
#define TCP_HEADROOM    (2 + ETHER_HDRLEN + IP_HDRLEN)
#define TCP_MAXOLEN     40
#define TCPHASHSZ       64
#define TCP_MAXCONN     128
#define TF_DETACHED     0x10000         /* the socket is gone: the connection owns itself */
#define TF_RELEASED     0x20000         /* ... and its reference has been dropped */

static const int tcp_backoff[TCP_MAXRXTSHIFT + 1] = { 1, 2, 4, 8, 16, 32, 64, 64, 64, 64, 64, 64, 64 };
static const uchar_t tcp_outflags[] = {
	TH_RST | TH_ACK,        /* CLOSED */
	0,                      /* LISTEN */
	TH_SYN,                 /* SYN_SENT */
	TH_SYN | TH_ACK,        /* SYN_RECEIVED */
	TH_ACK,                 /* ESTABLISHED */
	TH_ACK,                 /* CLOSE_WAIT */
	TH_FIN | TH_ACK,        /* FIN_WAIT_1 */
	TH_FIN | TH_ACK,        /* CLOSING */
	TH_FIN | TH_ACK,        /* LAST_ACK */
	TH_ACK,                 /* FIN_WAIT_2 */
	TH_ACK,                 /* TIME_WAIT */
};

static tcp_t *tcp_hash[TCPHASHSZ];
static tcp_t *tcp_all;
static lock_t tcp_hash_lock;
static kmem_cache_t *tcp_cache;
static uint32_t tcp_iss;
static uint16_t tcp_next_port = 32768;
static int tcp_ticks_per_slow = 10;
static int tcp_refcnt_total;

struct tcp_stats {
	uint_t conns;
	uint_t drops;
	uint_t rcvtotal;
	uint_t rcvpack;
	uint_t rcvbyte;
	uint_t rcvduppack;
	uint_t rcvdupbyte;
	uint_t rcvpartduppack;
	uint_t rcvoopack;
	uint_t rcvoobyte;
	uint_t rcvpackafterwin;
	uint_t rcvwinprobe;
	uint_t rcvdupack;
	uint_t rcvacktoomuch;
	uint_t rcvackpack;
	uint_t rcvwinupd;
	uint_t predack;
	uint_t preddat;
	uint_t sndtotal;
	uint_t sndrexmitpack;
	uint_t sndacks;
	uint_t sndprobe;
	uint_t sndwinup;
	uint_t rexmttimeo;
	uint_t persisttimeo;
	uint_t badopts;
	uint_t rsts;
} tcps;

static int tcp_hashfn(uint32_t faddr, uint16_t fport, uint16_t lport)
{
	return (int)((faddr ^ (faddr >> 16) ^ fport ^ ((uint32_t)lport << 3)) & (TCPHASHSZ - 1));
}

/* ---- connections ------------------------------------------------------------------------- */

tcp_t *
tcp_create(sonode_t *so)
{
	tcp_t *tcp = kmem_cache_alloc(tcp_cache, KM_SLEEP);
	int s;
	bzero(tcp, sizeof (*tcp));
	tcp->tcp_so = so;
	tcp->tcp_state = TCPS_CLOSED;
	tcp->tcp_mss = 536;
	tcp->tcp_peer_mss = 536;
	tcp->tcp_srtt = 0;
	tcp->tcp_rttvar = 3 << 2;
	tcp->tcp_rxtcur = 6;
	tcp->tcp_cwnd = 65535;
	tcp->tcp_ssthresh = 65535;
	tcp->tcp_rcv_wnd = so != NULL ? so->so_rcv.sb_hiwat : 16384;
	s = lock_set_spl(&tcp_hash_lock, IPL(IPL_TCP));
	tcp->tcp_all_next = tcp_all;
	tcp_all = tcp;
	tcp->tcp_refcnt = 1;                     /* reference count: the socket's */
	tcp_refcnt_total++;
	lock_clear_splx(&tcp_hash_lock, s);
	return tcp;
}

static void
tcp_hash_insert(tcp_t *tcp)
{
	int s = lock_set_spl(&tcp_hash_lock, IPL(IPL_TCP));
	int h = tcp_hashfn(tcp->tcp_faddr, tcp->tcp_fport, tcp->tcp_lport);
	tcp->tcp_hash_next = tcp_hash[h];
	tcp_hash[h] = tcp;
	lock_clear_splx(&tcp_hash_lock, s);
}

static void
tcp_hash_remove_locked(tcp_t *tcp)
{
	tcp_t **tpp;
	int h = tcp_hashfn(tcp->tcp_faddr, tcp->tcp_fport, tcp->tcp_lport);
	for (tpp = &tcp_hash[h]; *tpp != NULL; tpp = &(*tpp)->tcp_hash_next) {
		if (*tpp == tcp) {
			*tpp = tcp->tcp_hash_next;
			tcp->tcp_hash_next = NULL;
			return;
		}
	}
}

/* Drops a reference; the last one frees the connection. Called without the tcp lock. */
static void
tcp_unref(tcp_t *tcp)
{
	int s = lock_set_spl(&tcp_hash_lock, IPL(IPL_TCP));
	tcp_t **tpp;
	if (tcp->tcp_refcnt == 0)
		panic("tcp_unref: connection %p has no references", tcp);
	if (--tcp->tcp_refcnt > 0) {
		lock_clear_splx(&tcp_hash_lock, s);
		return;
	}
	tcp_hash_remove_locked(tcp);
	for (tpp = &tcp_all; *tpp != NULL; tpp = &(*tpp)->tcp_all_next) {
		if (*tpp == tcp) {
			*tpp = tcp->tcp_all_next;
			break;
		}
	}
	tcp_refcnt_total--;
	lock_clear_splx(&tcp_hash_lock, s);
	while (tcp->tcp_reass != NULL) {
		mblk_t *mp = tcp->tcp_reass;
		tcp->tcp_reass = mp->b_next;
		freemsg(mp);
	}
	kmem_cache_free(tcp_cache, tcp);
}

/* The connection that a segment from faddr:fport to laddr:lport belongs to, referenced. */
tcp_t *
tcp_lookup(uint32_t faddr, uint16_t fport, uint32_t laddr, uint16_t lport)
{
	tcp_t *tcp;
	int s;
	KS_INC(tcp_lookup);
	s = lock_set_spl(&tcp_hash_lock, IPL(IPL_TCP));
	for (tcp = tcp_hash[tcp_hashfn(faddr, fport, lport)]; tcp != NULL; tcp = tcp->tcp_hash_next) {
		if (tcp->tcp_faddr == faddr && tcp->tcp_fport == fport && tcp->tcp_lport == lport &&
		    tcp->tcp_laddr == laddr) {
			tcp->tcp_refcnt++;
			break;
		}
	}
	lock_clear_splx(&tcp_hash_lock, s);
	return tcp;
}

/*
 * The connection is over (tcp lock held): no more lookups find it; a connection whose socket is
 * gone releases its own reference. Returns 1 when the caller must tcp_unref after unlocking.
 */
static int
tcp_closed(tcp_t *tcp)
{
	int s;
	tcp->tcp_state = TCPS_CLOSED;
	tcp->tcp_timer[TCPT_REXMT] = tcp->tcp_timer[TCPT_PERSIST] = 0;
	tcp->tcp_timer[TCPT_KEEP] = tcp->tcp_timer[TCPT_2MSL] = 0;
	s = lock_set_spl(&tcp_hash_lock, IPL(IPL_TCP));
	tcp_hash_remove_locked(tcp);
	lock_clear_splx(&tcp_hash_lock, s);
	KS_INC(tcp_closed);
	if (tcp->tcp_so != NULL)
		soisdisconnected(tcp->tcp_so, tcp->tcp_error);
	if ((tcp->tcp_flags & (TF_DETACHED | TF_RELEASED)) == TF_DETACHED) {
		tcp->tcp_flags |= TF_RELEASED;
		return 1;
	}
	return 0;
}

/* Aborts the connection with an error (retransmission gave up, RST). tcp lock held. */
static int
tcp_drop(tcp_t *tcp, int error)
{
	tcps.drops++;
	tcp->tcp_error = error;
	if (tcp->tcp_so != NULL)
		tcp->tcp_so->so_error = error;
	return tcp_closed(tcp);
}

/* ---- output ------------------------------------------------------------------------------ */

static uint16_t
tcp_cksum(mblk_t *mp, uint32_t src, uint32_t dst, int len)
{
	uint32_t sum = (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + IPPROTO_TCP + (uint32_t)len;
	sum = ip_cksum_mblk(mp, 0, sum);
	return ip_cksum_fold(sum);
}

/* Sends a bare segment (RST or ACK) not tied to a connection's send state. */
static void
tcp_respond(uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport, uint32_t seq, uint32_t ack, int flags)
{
	mblk_t *mp = allocb(TCP_HEADROOM + TCP_HDRLEN, BPRI_HI);
	struct tcphdr *th;
	if (mp == NULL)
		return;
	mp->b_rptr += TCP_HEADROOM;
	th = (struct tcphdr *)mp->b_rptr;
	mp->b_wptr = mp->b_rptr + TCP_HDRLEN;
	th->th_sport = sport;
	th->th_dport = dport;
	th->th_seq = seq;
	th->th_ack = ack;
	th->th_off = (TCP_HDRLEN / 4) << 4;
	th->th_flags = (uint8_t)flags;
	th->th_win = 0;
	th->th_sum = 0;
	th->th_urp = 0;
	th->th_sum = tcp_cksum(mp, src, dst, TCP_HDRLEN);
	tcps.sndtotal++;
	(void)ip_wput(mp, dst, IPPROTO_TCP);
}

static void
tcp_setpersist(tcp_t *tcp)
{
	int t = ((tcp->tcp_srtt >> 2) + tcp->tcp_rttvar) >> 1;
	t *= tcp_backoff[tcp->tcp_rxtshift];
	if (t < TCPTV_PERSMIN)
		t = TCPTV_PERSMIN;
	if (t > TCPTV_PERSMAX)
		t = TCPTV_PERSMAX;
	tcp->tcp_timer[TCPT_PERSIST] = t;
	if (tcp->tcp_rxtshift < TCP_MAXRXTSHIFT)
		tcp->tcp_rxtshift++;
}

/*
 * Sends what the state allows: data within the send and congestion windows, SYN, FIN, window
 * updates and ACKs. tcp lock held. This is also tcp_wput's worker.
 */
int
tcp_output(tcp_t *tcp)
{
	sonode_t *so = tcp->tcp_so;
	int idle, sendalot, off, len, win, flags, optlen, hdrlen, error = 0;
	uint_t sndcc = so != NULL ? so->so_snd.sb_cc : 0;
	KS_INC(tcp_output);
	if (tcp->tcp_state == TCPS_CLOSED)
		return 0;
	idle = tcp->tcp_snd_max == tcp->tcp_snd_una;
again:
	sendalot = 0;
	off = (int)(tcp->tcp_snd_nxt - tcp->tcp_snd_una);
	win = (int)MIN(tcp->tcp_snd_wnd, tcp->tcp_cwnd);
	flags = tcp_outflags[tcp->tcp_state];
	if (tcp->tcp_timer[TCPT_PERSIST] == 0 && win == 0 && off < (int)sndcc) {
		/* zero window: arrange a probe */
		tcp->tcp_timer[TCPT_REXMT] = 0;
		tcp->tcp_rxtshift = 0;
		tcp_setpersist(tcp);
	}
	len = (int)MIN(sndcc, (uint_t)win) - off;
	if (flags & TH_SYN)
		len = 0;
	if (len < 0) {
		len = 0;
		if (win == 0) {
			tcp->tcp_timer[TCPT_REXMT] = 0;
			tcp->tcp_snd_nxt = tcp->tcp_snd_una;
		}
	}
	if (len > tcp->tcp_peer_mss) {
		len = tcp->tcp_peer_mss;
		sendalot = 1;
	}
	if (SEQ_LT(tcp->tcp_snd_nxt + (uint32_t)len, tcp->tcp_snd_una + sndcc))
		flags &= ~TH_FIN;
	win = so != NULL ? (int)sbspace(&so->so_rcv) : 0;
	if (len > 0) {
		if (len == tcp->tcp_peer_mss || idle || (tcp->tcp_flags & TF_NODELAY) ||
		    len >= (int)tcp->tcp_max_sndwnd / 2 || SEQ_LT(tcp->tcp_snd_nxt, tcp->tcp_snd_max) ||
		    off + len >= (int)sndcc)
			goto send;
	}
	if (win > 0) {
		int adv = MIN(win, 65535 << tcp->tcp_rcv_scale) - (int)(tcp->tcp_rcv_adv - tcp->tcp_rcv_nxt);
		if (adv >= 2 * tcp->tcp_mss || (so != NULL && 2 * adv >= (int)so->so_rcv.sb_hiwat)) {
			tcps.sndwinup++;
			goto send;
		}
	}
	if (tcp->tcp_flags & TF_ACKNOW)
		goto send;
	if (flags & (TH_SYN | TH_RST))
		goto send;
	if ((flags & TH_FIN) && (!(tcp->tcp_flags & TF_SENTFIN) || tcp->tcp_snd_nxt == tcp->tcp_snd_una))
		goto send;
	if (sndcc > 0 && tcp->tcp_timer[TCPT_REXMT] == 0 && tcp->tcp_timer[TCPT_PERSIST] == 0) {
		tcp->tcp_rxtshift = 0;
		tcp_setpersist(tcp);
	}
	return 0;

send:
	{
		uchar_t opt[TCP_MAXOLEN];
		mblk_t *mp;
		struct tcphdr *th;
		optlen = 0;
		if (flags & TH_SYN) {
			tcp->tcp_snd_nxt = tcp->tcp_iss;
			opt[0] = TCPOPT_MAXSEG;
			opt[1] = 4;
			opt[2] = (uchar_t)(tcp->tcp_mss >> 8);
			opt[3] = (uchar_t)tcp->tcp_mss;
			optlen = 4;
			if (tcp->tcp_flags & TF_REQ_SCALE) {
				opt[4] = TCPOPT_NOP;
				opt[5] = TCPOPT_WINDOW;
				opt[6] = 3;
				opt[7] = tcp->tcp_req_r_scale;
				optlen = 8;
			}
		}
		hdrlen = TCP_HDRLEN + optlen;
		mp = allocb((size_t)(TCP_HEADROOM + hdrlen + len), BPRI_MED);
		if (mp == NULL)
			return ENOMEM;
		mp->b_rptr += TCP_HEADROOM;
		th = (struct tcphdr *)mp->b_rptr;
		mp->b_wptr = mp->b_rptr + hdrlen + len;
		if (optlen > 0)
			memcpy((uchar_t *)(th + 1), opt, (size_t)optlen);
		if (len > 0) {
			sbcopy(&so->so_snd, (uint_t)off, (uint_t)len, (uchar_t *)th + hdrlen);
			if (SEQ_LT(tcp->tcp_snd_nxt, tcp->tcp_snd_max)) {
				tcps.sndrexmitpack++;
				tcp->tcp_rexmits++;
			}
		} else if (tcp->tcp_flags & TF_ACKNOW) {
			tcps.sndacks++;
		}
		if ((flags & TH_FIN) && (tcp->tcp_flags & TF_SENTFIN) && tcp->tcp_snd_nxt == tcp->tcp_snd_max)
			tcp->tcp_snd_nxt--;
		th->th_sport = tcp->tcp_lport;
		th->th_dport = tcp->tcp_fport;
		th->th_seq = (len > 0 || (flags & (TH_SYN | TH_FIN)) || tcp->tcp_timer[TCPT_PERSIST] != 0) ?
		    tcp->tcp_snd_nxt : tcp->tcp_snd_max;
		th->th_ack = tcp->tcp_rcv_nxt;
		th->th_off = (uint8_t)((hdrlen / 4) << 4);
		th->th_flags = (uint8_t)flags;
		if (win < (int)(so != NULL ? so->so_rcv.sb_hiwat / 4 : 0) && win < tcp->tcp_mss)
			win = 0;
		if (win > (int)(65535 << tcp->tcp_rcv_scale))
			win = 65535 << tcp->tcp_rcv_scale;
		if (win < (int)(tcp->tcp_rcv_adv - tcp->tcp_rcv_nxt))
			win = (int)(tcp->tcp_rcv_adv - tcp->tcp_rcv_nxt);
		th->th_win = (uint16_t)(win >> tcp->tcp_rcv_scale);
		if (win == 0)
			KS_INC(tcp_zero_window);
		th->th_urp = 0;
		th->th_sum = 0;
		th->th_sum = tcp_cksum(mp, tcp->tcp_laddr, tcp->tcp_faddr, hdrlen + len);

		if (tcp->tcp_timer[TCPT_PERSIST] == 0 || len == 0 || (flags & (TH_SYN | TH_FIN))) {
			uint32_t startseq = tcp->tcp_snd_nxt;
			if (flags & (TH_SYN | TH_FIN)) {
				if (flags & TH_SYN)
					tcp->tcp_snd_nxt++;
				if (flags & TH_FIN) {
					tcp->tcp_snd_nxt++;
					tcp->tcp_flags |= TF_SENTFIN;
				}
			}
			tcp->tcp_snd_nxt += (uint32_t)len;
			if (SEQ_GT(tcp->tcp_snd_nxt, tcp->tcp_snd_max)) {
				tcp->tcp_snd_max = tcp->tcp_snd_nxt;
				if (tcp->tcp_rtt == 0) {
					tcp->tcp_rtt = 1;
					tcp->tcp_rtseq = startseq;
				}
			}
			if (tcp->tcp_timer[TCPT_REXMT] == 0 && tcp->tcp_snd_nxt != tcp->tcp_snd_una) {
				tcp->tcp_timer[TCPT_REXMT] = tcp->tcp_rxtcur;
				if (tcp->tcp_timer[TCPT_PERSIST]) {
					tcp->tcp_timer[TCPT_PERSIST] = 0;
					tcp->tcp_rxtshift = 0;
				}
			}
		} else if (SEQ_GT(tcp->tcp_snd_nxt + (uint32_t)len, tcp->tcp_snd_max)) {
			tcp->tcp_snd_max = tcp->tcp_snd_nxt + (uint32_t)len;
		}
		if (win > 0 && SEQ_GT(tcp->tcp_rcv_nxt + (uint32_t)win, tcp->tcp_rcv_adv))
			tcp->tcp_rcv_adv = tcp->tcp_rcv_nxt + (uint32_t)win;
		tcp->tcp_flags &= ~(TF_ACKNOW | TF_DELACK);
		tcp->tcp_segs_out++;
		tcps.sndtotal++;
		error = ip_wput(mp, tcp->tcp_faddr, IPPROTO_TCP);
		if (error != 0)
			return error;
	}
	if (sendalot)
		goto again;
	return 0;
}

/* tcp_wput: data from the socket layer is already in so_snd; push it out. tcp lock held. */
int
tcp_wput(tcp_t *tcp, mblk_t *mp)
{
	KS_INC(tcp_wput);
	if (mp != NULL && tcp->tcp_so != NULL)
		sbappend(&tcp->tcp_so->so_snd, mp);
	else if (mp != NULL)
		freemsg(mp);
	return tcp_output(tcp);
}

/* Active open. tcp lock held. */
int
tcp_connect(tcp_t *tcp, uint32_t faddr, uint16_t fport)
{
	int s;
	if (tcp->tcp_state != TCPS_CLOSED)
		return EALREADY;
	tcp->tcp_faddr = faddr;
	tcp->tcp_fport = fport;
	tcp->tcp_laddr = ip_myaddr;
	s = lock_set_spl(&tcp_hash_lock, IPL(IPL_TCP));
	tcp->tcp_lport = tcp_next_port++;
	if (tcp_next_port < 32768)
		tcp_next_port = 32768;
	tcp_iss += 250000 + (krand(&tcp_iss) & 0xffff);
	tcp->tcp_iss = tcp_iss;
	lock_clear_splx(&tcp_hash_lock, s);
	tcp_hash_insert(tcp);
	tcp->tcp_mss = TCP_MSS_DEFAULT;
	tcp->tcp_snd_una = tcp->tcp_snd_nxt = tcp->tcp_snd_max = tcp->tcp_snd_up = tcp->tcp_iss;
	tcp->tcp_state = TCPS_SYN_SENT;
	tcp->tcp_timer[TCPT_KEEP] = TCPTV_KEEP_INIT;
	tcp->tcp_flags |= TF_REQ_SCALE;
	tcp->tcp_req_r_scale = 0;
	tcps.conns++;
	KS_INC(tcp_connects);
	return tcp_output(tcp);
}

/* The application took data: send a window update if the window opened enough. tcp lock held. */
void
tcp_rcvd(tcp_t *tcp)
{
	if (tcp->tcp_state >= TCPS_ESTABLISHED && tcp->tcp_state != TCPS_CLOSED)
		(void)tcp_output(tcp);
}

/* The socket is being closed: send FIN as the state requires; the connection lives on detached. */
void
tcp_close(tcp_t *tcp)
{
	int s = lock_set_spl(&tcp->tcp_lock, IPL(IPL_TCP));
	int unref = 0;
	tcp->tcp_so = NULL;
	tcp->tcp_flags |= TF_DETACHED;
	switch (tcp->tcp_state) {
	case TCPS_CLOSED:
	case TCPS_LISTEN:
	case TCPS_SYN_SENT:
		unref = tcp_closed(tcp);
		break;
	case TCPS_SYN_RECEIVED:
	case TCPS_ESTABLISHED:
		tcp->tcp_state = TCPS_FIN_WAIT_1;
		(void)tcp_output(tcp);
		break;
	case TCPS_CLOSE_WAIT:
		tcp->tcp_state = TCPS_LAST_ACK;
		(void)tcp_output(tcp);
		break;
	case TCPS_FIN_WAIT_2:
		tcp->tcp_timer[TCPT_2MSL] = 2 * TCPTV_MSL;
		break;
	default:
		break;
	}
	lock_clear_splx(&tcp->tcp_lock, s);
	if (unref)
		tcp_unref(tcp);
}

/* ---- input ------------------------------------------------------------------------------- */

static void
tcp_xmit_timer(tcp_t *tcp, int rtt)
{
	if (tcp->tcp_srtt != 0) {
		int delta = rtt - 1 - (tcp->tcp_srtt >> 3);
		tcp->tcp_srtt += delta;
		if (tcp->tcp_srtt <= 0)
			tcp->tcp_srtt = 1;
		if (delta < 0)
			delta = -delta;
		delta -= tcp->tcp_rttvar >> 2;
		tcp->tcp_rttvar += delta;
		if (tcp->tcp_rttvar <= 0)
			tcp->tcp_rttvar = 1;
	} else {
		tcp->tcp_srtt = rtt << 3;
		tcp->tcp_rttvar = rtt << 1;
	}
	tcp->tcp_rtt = 0;
	tcp->tcp_rxtshift = 0;
	tcp->tcp_rxtcur = (tcp->tcp_srtt >> 3) + tcp->tcp_rttvar;
	if (tcp->tcp_rxtcur < TCPTV_MIN)
		tcp->tcp_rxtcur = TCPTV_MIN;
	if (tcp->tcp_rxtcur > TCPTV_REXMTMAX)
		tcp->tcp_rxtcur = TCPTV_REXMTMAX;
}

/* Appends in-order segments from the reassembly queue to the socket. Returns the FIN flag. */
static __attribute__((always_inline)) inline int
tcp_reass_present(tcp_t *tcp)
{
	int fin = 0;
	while (tcp->tcp_reass != NULL && tcp->tcp_reass->b_seq == tcp->tcp_rcv_nxt) {
		mblk_t *mp = tcp->tcp_reass;
		uint_t len = mp->b_seqlen;
		tcp->tcp_reass = mp->b_next;
		mp->b_next = NULL;
		tcp->tcp_reass_cnt--;
		tcp->tcp_rcv_nxt += len;
		fin = mp->b_fin;
		KS_INC(tcp_reass_merged);
		if (tcp->tcp_so != NULL && !(tcp->tcp_so->so_state & SS_CANTRCVMORE))
			sbappend(&tcp->tcp_so->so_rcv, mp);
		else
			freemsg(mp);
		if (fin)
			break;
	}
	if (tcp->tcp_so != NULL)
		sorwakeup(tcp->tcp_so);
	return fin;
}

/*
 * tcp_rput_data: TCP input for a connection (tcp lock held, the reference from tcp_lookup held). mp holds the
 * segment's data after this routine adjusts b_rptr; iph and th point into it. Returns 1 when the
 * caller must drop the connection's own reference (it closed).
 */
int
tcp_rput_data(tcp_t *tcp, mblk_t *mp, struct ip *iph, struct tcphdr *th, int tlen)
{
	sonode_t *so = tcp->tcp_so;
	uint32_t seq = th->th_seq, ack = th->th_ack, tiwin;
	int flags = th->th_flags, off, optlen, todrop, acked, ourfinisacked, needoutput = 0;
	int unref = 0, ts_present = 0, fin;
	uint32_t ts_val = 0, ts_ecr = 0;
	uint_t urp = th->th_urp;
	uchar_t *opts;

	KS_INC(tcp_rput_data);
	tcp->tcp_segs_in++;
	tcps.rcvtotal++;
	off = (th->th_off >> 4) << 2;
	if (off < TCP_HDRLEN || off > tlen) {
		tcps.badopts++;
		goto drop;
	}
	tlen -= off;
	optlen = off - TCP_HDRLEN;
	opts = (uchar_t *)(th + 1);
	mp->b_rptr = (uchar_t *)th + off;
	mp->b_wptr = mp->b_rptr + tlen;
	if (mp->b_cont != NULL) {
		freemsg(mp->b_cont);
		mp->b_cont = NULL;
	}
	mp->b_next = NULL;
	tiwin = (uint32_t)th->th_win;
	if (!(flags & TH_SYN))
		tiwin <<= tcp->tcp_snd_scale;
	tcp->tcp_idle = 0;

	/* options: MSS, window scale, SACK permitted, timestamps (RFC 793, 1323, 2018) */
	if (optlen > 0) {
		int cnt = optlen, olen;
		uchar_t *cp = opts;
		KS_INC(tcp_options);
		for (; cnt > 0; cnt -= olen, cp += olen) {
			int opt = cp[0];
			if (opt == TCPOPT_EOL)
				break;
			if (opt == TCPOPT_NOP) {
				olen = 1;
				continue;
			}
			if (cnt < 2 || (olen = cp[1]) < 2 || olen > cnt) {
				tcps.badopts++;
				break;
			}
			switch (opt) {
			case TCPOPT_MAXSEG:
				if (olen == 4 && (flags & TH_SYN)) {
					int mss = (cp[2] << 8) | cp[3];
					if (mss < 64)
						mss = 64;
					if (mss > TCP_MSS_DEFAULT)
						mss = TCP_MSS_DEFAULT;
					tcp->tcp_peer_mss = (uint16_t)mss;
				}
				break;
			case TCPOPT_WINDOW:
				if (olen == 3 && (flags & TH_SYN)) {
					tcp->tcp_flags |= TF_RCVD_SCALE;
					tcp->tcp_snd_scale = cp[2] > 14 ? 14 : cp[2];
				}
				break;
			case TCPOPT_SACK_PERMITTED:
				if (olen == 2 && (flags & TH_SYN))
					tcp->tcp_flags |= TF_SACK_PERMIT;
				break;
			case TCPOPT_SACK:
				/* we never asked for SACK: ignore the blocks */
				break;
			case TCPOPT_TIMESTAMP:
				if (olen == 10) {
					ts_present = 1;
					ts_val = ((uint32_t)cp[2] << 24) | ((uint32_t)cp[3] << 16) | ((uint32_t)cp[4] << 8) | cp[5];
					ts_ecr = ((uint32_t)cp[6] << 24) | ((uint32_t)cp[7] << 16) | ((uint32_t)cp[8] << 8) | cp[9];
					if (flags & TH_SYN) {
						tcp->tcp_flags |= TF_RCVD_TSTMP;
						tcp->tcp_ts_recent = ts_val;
						tcp->tcp_ts_recent_age = (uint32_t)lbolt;
					}
				}
				break;
			default:
				tcps.badopts++;
				break;
			}
		}
	}

	/*
	 * Header prediction: an established connection, a plain ACK with the next expected
	 * sequence number and an unchanged window, nothing being retransmitted.
	 */
	if (tcp->tcp_state == TCPS_ESTABLISHED &&
	    (flags & (TH_SYN | TH_FIN | TH_RST | TH_URG | TH_ACK)) == TH_ACK &&
	    (!ts_present || (int)(ts_val - tcp->tcp_ts_recent) >= 0) &&
	    seq == tcp->tcp_rcv_nxt && tiwin != 0 && tiwin == tcp->tcp_snd_wnd &&
	    tcp->tcp_snd_nxt == tcp->tcp_snd_max) {
		if (ts_present && SEQ_LEQ(seq, tcp->tcp_rcv_adv)) {
			tcp->tcp_ts_recent = ts_val;
			tcp->tcp_ts_recent_age = (uint32_t)lbolt;
		}
		if (tlen == 0) {
			if (SEQ_GT(ack, tcp->tcp_snd_una) && SEQ_LEQ(ack, tcp->tcp_snd_max) &&
			    tcp->tcp_cwnd >= tcp->tcp_snd_wnd) {
				/* a pure ACK for outstanding data */
				tcps.predack++;
				if (tcp->tcp_rtt != 0 && SEQ_GT(ack, tcp->tcp_rtseq))
					tcp_xmit_timer(tcp, tcp->tcp_rtt);
				acked = (int)(ack - tcp->tcp_snd_una);
				tcps.rcvackpack++;
				if (so != NULL) {
					sbdrop(&so->so_snd, (uint_t)acked);
					sowwakeup(so);
				}
				tcp->tcp_snd_una = ack;
				tcp->tcp_timer[TCPT_REXMT] = tcp->tcp_snd_una == tcp->tcp_snd_max ? 0 : tcp->tcp_rxtcur;
				if (so != NULL && so->so_snd.sb_cc > 0)
					(void)tcp_output(tcp);
				freemsg(mp);
				return 0;
			}
		} else if (ack == tcp->tcp_snd_una && tcp->tcp_reass == NULL && so != NULL &&
		    (uint_t)tlen <= sbspace(&so->so_rcv)) {
			/* in-order data, the common case of a receiving connection */
			tcps.preddat++;
			tcps.rcvpack++;
			tcps.rcvbyte += (uint_t)tlen;
			KS_INC(tcp_in_order);
			KS_ADD(tcp_bytes_rcvd, tlen);
			tcp->tcp_bytes_in += (uint_t)tlen;
			tcp->tcp_rcv_nxt += (uint32_t)tlen;
			sbappend(&so->so_rcv, mp);
			sorwakeup(so);
			if (tcp->tcp_flags & TF_DELACK) {
				tcp->tcp_flags |= TF_ACKNOW;
				(void)tcp_output(tcp);
			} else {
				tcp->tcp_flags |= TF_DELACK;
			}
			return 0;
		}
	}

	/* the slow path: the receive window first */
	{
		int win = so != NULL ? (int)sbspace(&so->so_rcv) : 0;
		if (win < 0)
			win = 0;
		tcp->tcp_rcv_wnd = (uint32_t)MAX(win, (int)(tcp->tcp_rcv_adv - tcp->tcp_rcv_nxt));
	}

	switch (tcp->tcp_state) {
	case TCPS_CLOSED:
		goto dropwithreset;
	case TCPS_LISTEN:
		/* no listeners in minisol */
		goto dropwithreset;
	case TCPS_SYN_SENT:
		if ((flags & TH_ACK) && (SEQ_LEQ(ack, tcp->tcp_iss) || SEQ_GT(ack, tcp->tcp_snd_max)))
			goto dropwithreset;
		if (flags & TH_RST) {
			if (flags & TH_ACK) {
				KS_INC(tcp_rst_rcvd);
				tcps.rsts++;
				unref = tcp_drop(tcp, ECONNREFUSED);
			}
			goto drop;
		}
		if (!(flags & TH_SYN))
			goto drop;
		if (flags & TH_ACK) {
			tcp->tcp_snd_una = ack;
			if (SEQ_LT(tcp->tcp_snd_nxt, tcp->tcp_snd_una))
				tcp->tcp_snd_nxt = tcp->tcp_snd_una;
		}
		tcp->tcp_timer[TCPT_REXMT] = 0;
		tcp->tcp_irs = seq;
		tcp->tcp_rcv_nxt = seq + 1;
		tcp->tcp_rcv_adv = tcp->tcp_rcv_nxt;
		tcp->tcp_flags |= TF_ACKNOW;
		if ((flags & TH_ACK) && SEQ_GT(tcp->tcp_snd_una, tcp->tcp_iss)) {
			KS_INC(tcp_established);
			if (so != NULL)
				soisconnected(so);
			tcp->tcp_state = TCPS_ESTABLISHED;
			tcp->tcp_timer[TCPT_KEEP] = 0;
			if ((tcp->tcp_flags & (TF_RCVD_SCALE | TF_REQ_SCALE)) == (TF_RCVD_SCALE | TF_REQ_SCALE)) {
				tcp->tcp_rcv_scale = tcp->tcp_req_r_scale;
			} else {
				tcp->tcp_snd_scale = 0;
				tcp->tcp_rcv_scale = 0;
			}
			tcp->tcp_cwnd = 4u * tcp->tcp_peer_mss;
			if (tcp->tcp_rtt != 0)
				tcp_xmit_timer(tcp, tcp->tcp_rtt);
			fin = tcp_reass_present(tcp);
			(void)fin;
		} else {
			tcp->tcp_state = TCPS_SYN_RECEIVED;
		}
		tcp->tcp_snd_wnd = tiwin;
		tcp->tcp_snd_wl1 = seq - 1;
		tcp->tcp_snd_wl2 = ack;
		seq++;
		if (tlen > (int)tcp->tcp_rcv_wnd) {
			todrop = tlen - (int)tcp->tcp_rcv_wnd;
			(void)adjmsg(mp, -todrop);
			tlen = (int)tcp->tcp_rcv_wnd;
			flags &= ~TH_FIN;
			tcps.rcvpackafterwin++;
		}
		tcp->tcp_snd_wl1 = seq - 1;
		tcp->tcp_rcv_up = seq;
		goto step6;
	default:
		break;
	}

	/* timestamps: a segment older than ts_recent is a duplicate (PAWS, RFC 1323) */
	if (ts_present && tcp->tcp_ts_recent != 0 && (int)(ts_val - tcp->tcp_ts_recent) < 0 && !(flags & TH_RST)) {
		if ((int)((uint32_t)lbolt - tcp->tcp_ts_recent_age) > 24 * 24 * 60 * 60 * hz) {
			tcp->tcp_ts_recent = 0;
		} else {
			tcps.rcvduppack++;
			tcps.rcvdupbyte += (uint_t)tlen;
			KS_INC(tcp_dup_data);
			goto dropafterack;
		}
	}

	/* trim data that we already have (a retransmission overlapping what we got) */
	todrop = (int)(tcp->tcp_rcv_nxt - seq);
	if (todrop > 0) {
		if (flags & TH_SYN) {
			flags &= ~TH_SYN;
			seq++;
			if (urp > 1)
				urp--;
			else
				flags &= ~TH_URG;
			todrop--;
		}
		if (todrop >= tlen) {
			tcps.rcvduppack++;
			tcps.rcvdupbyte += (uint_t)tlen;
			KS_INC(tcp_dup_data);
			if (todrop > tlen || (tlen == 0 && !(flags & TH_FIN))) {
				/* a keepalive or an old duplicate: ACK it */
				tcp->tcp_flags |= TF_ACKNOW;
			}
			todrop = tlen;
			flags &= ~TH_FIN;
			tcp->tcp_flags |= TF_ACKNOW;
		} else {
			tcps.rcvpartduppack++;
			tcps.rcvpartduppack += 0;
		}
		(void)adjmsg(mp, todrop);
		seq += (uint32_t)todrop;
		tlen -= todrop;
		if ((int)urp > todrop) {
			urp -= (uint_t)todrop;
		} else {
			flags &= ~TH_URG;
			urp = 0;
		}
	}

	/* data after the socket went away: the application will never read it */
	if (so == NULL && tcp->tcp_state > TCPS_CLOSE_WAIT && tlen > 0) {
		unref = tcp_closed(tcp);
		goto dropwithreset;
	}

	/* trim data beyond the right edge of the window */
	todrop = (int)((seq + (uint32_t)tlen) - (tcp->tcp_rcv_nxt + tcp->tcp_rcv_wnd));
	if (todrop > 0) {
		tcps.rcvpackafterwin++;
		if (todrop >= tlen) {
			if (tcp->tcp_rcv_wnd == 0 && seq == tcp->tcp_rcv_nxt) {
				/* a window probe: ACK it with our (zero) window */
				tcps.rcvwinprobe++;
				tcp->tcp_flags |= TF_ACKNOW;
			} else {
				goto dropafterack;
			}
		}
		(void)adjmsg(mp, -todrop);
		tlen -= todrop;
		if (tlen < 0)
			tlen = 0;
		flags &= ~(TH_PUSH | TH_FIN);
	}

	/* a timestamp from a segment that starts at or before what we last acknowledged */
	if (ts_present && SEQ_LEQ(seq, tcp->tcp_rcv_adv)) {
		tcp->tcp_ts_recent = ts_val;
		tcp->tcp_ts_recent_age = (uint32_t)lbolt;
	}
	(void)ts_ecr;

	/* RST */
	if (flags & TH_RST) {
		KS_INC(tcp_rst_rcvd);
		tcps.rsts++;
		switch (tcp->tcp_state) {
		case TCPS_SYN_RECEIVED:
			unref = tcp_drop(tcp, ECONNREFUSED);
			break;
		case TCPS_ESTABLISHED:
		case TCPS_FIN_WAIT_1:
		case TCPS_FIN_WAIT_2:
		case TCPS_CLOSE_WAIT:
			unref = tcp_drop(tcp, ECONNRESET);
			break;
		default:
			unref = tcp_closed(tcp);
			break;
		}
		goto drop;
	}

	/* a SYN in the window is an error: reset the connection */
	if (flags & TH_SYN) {
		unref = tcp_drop(tcp, ECONNRESET);
		goto dropwithreset;
	}

	if (!(flags & TH_ACK))
		goto drop;

	/* ACK processing */
	switch (tcp->tcp_state) {
	case TCPS_SYN_RECEIVED:
		if (SEQ_GT(tcp->tcp_snd_una, ack) || SEQ_GT(ack, tcp->tcp_snd_max))
			goto dropwithreset;
		KS_INC(tcp_established);
		tcp->tcp_state = TCPS_ESTABLISHED;
		if (so != NULL)
			soisconnected(so);
		tcp->tcp_snd_wl1 = seq - 1;
		/* FALLTHROUGH */
	case TCPS_ESTABLISHED:
	case TCPS_FIN_WAIT_1:
	case TCPS_FIN_WAIT_2:
	case TCPS_CLOSE_WAIT:
	case TCPS_CLOSING:
	case TCPS_LAST_ACK:
	case TCPS_TIME_WAIT:
		if (SEQ_LEQ(ack, tcp->tcp_snd_una)) {
			if (tlen == 0 && tiwin == tcp->tcp_snd_wnd) {
				tcps.rcvdupack++;
				KS_INC(tcp_dupacks);
				if (tcp->tcp_timer[TCPT_REXMT] == 0 || ack != tcp->tcp_snd_una) {
					tcp->tcp_dupacks = 0;
				} else if (++tcp->tcp_dupacks == 3) {
					/* fast retransmit (RFC 2001) */
					uint32_t onxt = tcp->tcp_snd_nxt;
					uint_t win = MIN(tcp->tcp_snd_wnd, tcp->tcp_cwnd) / 2 / tcp->tcp_peer_mss;
					KS_INC(tcp_fast_rexmit);
					if (win < 2)
						win = 2;
					tcp->tcp_ssthresh = win * tcp->tcp_peer_mss;
					tcp->tcp_timer[TCPT_REXMT] = 0;
					tcp->tcp_rtt = 0;
					tcp->tcp_snd_nxt = ack;
					tcp->tcp_cwnd = tcp->tcp_peer_mss;
					(void)tcp_output(tcp);
					tcp->tcp_cwnd = tcp->tcp_ssthresh + tcp->tcp_peer_mss * (uint_t)tcp->tcp_dupacks;
					if (SEQ_GT(onxt, tcp->tcp_snd_nxt))
						tcp->tcp_snd_nxt = onxt;
					tcp->tcp_flags |= TF_FASTRECOVERY;
					goto drop;
				} else if (tcp->tcp_dupacks > 3) {
					tcp->tcp_cwnd += tcp->tcp_peer_mss;
					(void)tcp_output(tcp);
					goto drop;
				}
			} else {
				tcp->tcp_dupacks = 0;
			}
			break;
		}
		/* the ACK acknowledges something new */
		if ((tcp->tcp_flags & TF_FASTRECOVERY) && tcp->tcp_cwnd > tcp->tcp_ssthresh)
			tcp->tcp_cwnd = tcp->tcp_ssthresh;
		tcp->tcp_flags &= ~TF_FASTRECOVERY;
		tcp->tcp_dupacks = 0;
		if (SEQ_GT(ack, tcp->tcp_snd_max)) {
			tcps.rcvacktoomuch++;
			goto dropafterack;
		}
		acked = (int)(ack - tcp->tcp_snd_una);
		tcps.rcvackpack++;
		if (tcp->tcp_rtt != 0 && SEQ_GT(ack, tcp->tcp_rtseq))
			tcp_xmit_timer(tcp, tcp->tcp_rtt);
		if (ack == tcp->tcp_snd_max) {
			tcp->tcp_timer[TCPT_REXMT] = 0;
			needoutput = 1;
		} else if (tcp->tcp_timer[TCPT_PERSIST] == 0) {
			tcp->tcp_timer[TCPT_REXMT] = tcp->tcp_rxtcur;
		}
		{
			/* open the congestion window: slow start, then linear */
			uint_t cw = tcp->tcp_cwnd, incr = tcp->tcp_peer_mss;
			if (cw > tcp->tcp_ssthresh)
				incr = incr * incr / cw;
			tcp->tcp_cwnd = MIN(cw + incr, 65535u << tcp->tcp_snd_scale);
		}
		ourfinisacked = 0;
		if (so != NULL && acked > (int)so->so_snd.sb_cc) {
			tcp->tcp_snd_wnd -= so->so_snd.sb_cc;
			sbdrop(&so->so_snd, so->so_snd.sb_cc);
			ourfinisacked = 1;
		} else if (so != NULL) {
			sbdrop(&so->so_snd, (uint_t)acked);
			tcp->tcp_snd_wnd -= (uint32_t)acked;
		} else {
			ourfinisacked = (tcp->tcp_flags & TF_SENTFIN) && ack == tcp->tcp_snd_max;
		}
		if (so != NULL)
			sowwakeup(so);
		tcp->tcp_snd_una = ack;
		if (SEQ_LT(tcp->tcp_snd_nxt, tcp->tcp_snd_una))
			tcp->tcp_snd_nxt = tcp->tcp_snd_una;
		switch (tcp->tcp_state) {
		case TCPS_FIN_WAIT_1:
			if (ourfinisacked) {
				tcp->tcp_state = TCPS_FIN_WAIT_2;
				if (so == NULL)
					tcp->tcp_timer[TCPT_2MSL] = 4 * TCPTV_MSL;
			}
			break;
		case TCPS_CLOSING:
			if (ourfinisacked) {
				tcp->tcp_state = TCPS_TIME_WAIT;
				tcp->tcp_timer[TCPT_REXMT] = tcp->tcp_timer[TCPT_PERSIST] = 0;
				tcp->tcp_timer[TCPT_2MSL] = 2 * TCPTV_MSL;
			}
			break;
		case TCPS_LAST_ACK:
			if (ourfinisacked) {
				unref = tcp_closed(tcp);
				goto drop;
			}
			break;
		case TCPS_TIME_WAIT:
			tcp->tcp_timer[TCPT_2MSL] = 2 * TCPTV_MSL;
			goto dropafterack;
		default:
			break;
		}
		break;
	default:
		break;
	}

step6:
	/* window update: a newer segment, or the same one with a bigger window */
	if ((flags & TH_ACK) &&
	    (SEQ_LT(tcp->tcp_snd_wl1, seq) || (tcp->tcp_snd_wl1 == seq && (SEQ_LT(tcp->tcp_snd_wl2, ack) ||
	    (tcp->tcp_snd_wl2 == ack && tiwin > tcp->tcp_snd_wnd))))) {
		if (tlen == 0 && tcp->tcp_snd_wl2 == ack && tiwin > tcp->tcp_snd_wnd) {
			tcps.rcvwinupd++;
			KS_INC(tcp_window_updates);
		}
		tcp->tcp_snd_wnd = tiwin;
		tcp->tcp_snd_wl1 = seq;
		tcp->tcp_snd_wl2 = ack;
		if (tcp->tcp_snd_wnd > tcp->tcp_max_sndwnd)
			tcp->tcp_max_sndwnd = tcp->tcp_snd_wnd;
		needoutput = 1;
	}

	/* urgent data: record the urgent pointer and pull the out-of-band byte out of the stream */
	if ((flags & TH_URG) && urp != 0 && tcp->tcp_state < TCPS_TIME_WAIT && tcp->tcp_state != TCPS_CLOSED) {
		KS_INC(tcp_urgent);
		if (so != NULL && urp + so->so_rcv.sb_cc > 65535u) {
			urp = 0;
			flags &= ~TH_URG;
			goto dodata;
		}
		if (SEQ_GT(seq + urp, tcp->tcp_rcv_up)) {
			tcp->tcp_rcv_up = seq + urp;
			if (so != NULL) {
				so->so_oobmark = so->so_rcv.sb_cc + (tcp->tcp_rcv_up - tcp->tcp_rcv_nxt) - 1;
				if (so->so_oobmark == 0)
					so->so_state |= SS_RCVATMARK;
				sohasoutofband(so);
			}
			tcp->tcp_oobflags &= ~(TCPOOB_HAVEDATA | TCPOOB_HADDATA);
		}
		if ((int)urp <= tlen) {
			/* tcp_pulloutofband: the byte before the urgent pointer leaves the data */
			uint_t cnt = urp - 1;
			mblk_t *bp;
			for (bp = mp; bp != NULL; bp = bp->b_cont) {
				uint_t l = (uint_t)MBLKL(bp);
				if (cnt < l) {
					tcp->tcp_iobc = bp->b_rptr[cnt];
					tcp->tcp_oobflags |= TCPOOB_HAVEDATA;
					memmove(bp->b_rptr + cnt, bp->b_rptr + cnt + 1, l - cnt - 1);
					bp->b_wptr--;
					/* tlen keeps the byte: it still occupies sequence space */
					break;
				}
				cnt -= l;
			}
		}
	} else if (SEQ_GT(tcp->tcp_rcv_nxt, tcp->tcp_rcv_up)) {
		tcp->tcp_rcv_up = tcp->tcp_rcv_nxt;
	}

dodata:
	if ((tlen > 0 || (flags & TH_FIN)) && tcp->tcp_state < TCPS_TIME_WAIT && tcp->tcp_state != TCPS_CLOSED) {
		if (seq == tcp->tcp_rcv_nxt && tcp->tcp_reass == NULL && tcp->tcp_state == TCPS_ESTABLISHED) {
			/* in order */
			if (tcp->tcp_flags & TF_DELACK)
				tcp->tcp_flags |= TF_ACKNOW;
			else
				tcp->tcp_flags |= TF_DELACK;
			tcp->tcp_rcv_nxt += (uint32_t)tlen;
			tcps.rcvpack++;
			tcps.rcvbyte += (uint_t)tlen;
			tcp->tcp_bytes_in += (uint_t)tlen;
			KS_INC(tcp_in_order);
			KS_ADD(tcp_bytes_rcvd, tlen);
			fin = flags & TH_FIN;
			if (tlen > 0 && so != NULL && !(so->so_state & SS_CANTRCVMORE)) {
				sbappend(&so->so_rcv, mp);
				sorwakeup(so);
			} else {
				freemsg(mp);
			}
			mp = NULL;
		} else {
			/*
			 * Out of order: queue it by sequence number, trimming what overlaps the
			 * segments around it, and ACK at once so that the sender sees duplicate ACKs.
			 */
			mblk_t **mpp, *q, *prev = NULL;
			KS_INC(tcp_ooo);
			tcps.rcvoopack++;
			tcps.rcvoobyte += (uint_t)tlen;
			tcp->tcp_ooo_in++;
			mp->b_seq = seq;
			mp->b_seqlen = (uint_t)tlen;
			mp->b_fin = (flags & TH_FIN) != 0;
			fin = 0;
			for (mpp = &tcp->tcp_reass; (q = *mpp) != NULL; mpp = &q->b_next) {
				if (SEQ_GT(q->b_seq, seq))
					break;
				prev = q;
			}
			if (prev != NULL) {
				int overlap = (int)(prev->b_seq + prev->b_seqlen - seq);
				if (overlap > 0) {
					if (overlap >= tlen) {
						tcps.rcvduppack++;
						freemsg(mp);
						mp = NULL;
						tcp->tcp_flags |= TF_ACKNOW;
						goto reass_done;
					}
					(void)adjmsg(mp, overlap);
					tlen -= overlap;
					seq += (uint32_t)overlap;
					mp->b_seq = seq;
					mp->b_seqlen = (uint_t)tlen;
				}
			}
			while ((q = *mpp) != NULL) {
				int qlen = (int)q->b_seqlen;
				int overlap = (int)((seq + (uint32_t)tlen) - q->b_seq);
				if (overlap <= 0)
					break;
				if (overlap < qlen) {
					(void)adjmsg(q, overlap);
					q->b_seq += (uint32_t)overlap;
					q->b_seqlen -= (uint_t)overlap;
					break;
				}
				*mpp = q->b_next;
				tcp->tcp_reass_cnt--;
				freemsg(q);
			}
			mp->b_next = *mpp;
			*mpp = mp;
			tcp->tcp_reass_cnt++;
			mp = NULL;
			tcp->tcp_flags |= TF_ACKNOW;
			fin = 0;
			if (TCPS_HAVEESTABLISHED(tcp->tcp_state))
				fin = tcp_reass_present(tcp) ? TH_FIN : 0;
reass_done:
			flags = (flags & ~TH_FIN) | (fin ? TH_FIN : 0);
		}
	} else {
		freemsg(mp);
		mp = NULL;
		flags &= ~TH_FIN;
	}

	/* FIN: the peer has no more to send */
	if (flags & TH_FIN) {
		if (tcp->tcp_state < TCPS_TIME_WAIT && tcp->tcp_state != TCPS_CLOSED) {
			KS_INC(tcp_fin_rcvd);
			if (so != NULL)
				socantrcvmore(so);
			tcp->tcp_flags |= TF_ACKNOW;
			tcp->tcp_rcv_nxt++;
		}
		switch (tcp->tcp_state) {
		case TCPS_SYN_RECEIVED:
		case TCPS_ESTABLISHED:
			tcp->tcp_state = TCPS_CLOSE_WAIT;
			break;
		case TCPS_FIN_WAIT_1:
			tcp->tcp_state = TCPS_CLOSING;
			break;
		case TCPS_FIN_WAIT_2:
			tcp->tcp_state = TCPS_TIME_WAIT;
			tcp->tcp_timer[TCPT_REXMT] = tcp->tcp_timer[TCPT_PERSIST] = 0;
			tcp->tcp_timer[TCPT_2MSL] = 2 * TCPTV_MSL;
			break;
		case TCPS_TIME_WAIT:
			tcp->tcp_timer[TCPT_2MSL] = 2 * TCPTV_MSL;
			break;
		default:
			break;
		}
	}
	if (needoutput || (tcp->tcp_flags & TF_ACKNOW))
		(void)tcp_output(tcp);
	return unref;

dropafterack:
	if (flags & TH_RST)
		goto drop;
	freemsg(mp);
	tcp->tcp_flags |= TF_ACKNOW;
	(void)tcp_output(tcp);
	return unref;

dropwithreset:
	if (!(flags & TH_RST)) {
		if (flags & TH_ACK)
			tcp_respond(iph->ip_dst, th->th_dport, iph->ip_src, th->th_sport, ack, 0, TH_RST);
		else
			tcp_respond(iph->ip_dst, th->th_dport, iph->ip_src, th->th_sport, 0,
			    seq + (uint32_t)tlen + ((flags & TH_SYN) ? 1u : 0u), TH_RST | TH_ACK);
	}
drop:
	freemsg(mp);
	return unref;
}

/* From ip_rput: checksum, find the connection, hand the segment to tcp_rput_data. */
void
tcp_input(mblk_t *mp, struct ip *iph, int iphlen)
{
	struct tcphdr *th = (struct tcphdr *)((uchar_t *)iph + iphlen);
	int tlen = iph->ip_len - iphlen;
	tcp_t *tcp;
	if (tlen < TCP_HDRLEN || MBLKL(mp) < iphlen + TCP_HDRLEN) {
		freemsg(mp);
		return;
	}
	{
		uint32_t src = iph->ip_src, dst = iph->ip_dst;
		uint32_t sum = (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + IPPROTO_TCP + (uint32_t)tlen;
		sum = ip_cksum_mblk(mp, iphlen, sum);
		if (ip_cksum_fold(sum) != 0) {
			KS_INC(tcp_bad_csum);
			freemsg(mp);
			return;
		}
	}
	tcp = tcp_lookup(iph->ip_src, th->th_sport, iph->ip_dst, th->th_dport);
	if (tcp == NULL) {
		if (!(th->th_flags & TH_RST)) {
			if (th->th_flags & TH_ACK)
				tcp_respond(iph->ip_dst, th->th_dport, iph->ip_src, th->th_sport, th->th_ack, 0, TH_RST);
			else
				tcp_respond(iph->ip_dst, th->th_dport, iph->ip_src, th->th_sport, 0,
				    th->th_seq + (uint32_t)(tlen - ((th->th_off >> 4) << 2)) + ((th->th_flags & TH_SYN) ? 1u : 0u),
				    TH_RST | TH_ACK);
		}
		freemsg(mp);
		return;
	}
	{
		hrtime_t t0 = gethrtime();
		int s = lock_set_spl(&tcp->tcp_lock, IPL(IPL_TCP));
		int unref = tcp_rput_data(tcp, mp, iph, th, tlen);
		lock_clear_splx(&tcp->tcp_lock, s);
		KS_CYCLES(tcp_rput_data_cycles, t0);
		if (unref)
			tcp_unref(tcp);
	}
	tcp_unref(tcp);
}

/* ---- timers ------------------------------------------------------------------------------ */

/* One connection's timers (tcp lock held). Returns 1 when the connection must be released. */
static int
tcp_timers(tcp_t *tcp)
{
	int i, unref = 0;
	if (tcp->tcp_flags & TF_DELACK) {
		tcp->tcp_flags = (tcp->tcp_flags & ~TF_DELACK) | TF_ACKNOW;
		(void)tcp_output(tcp);
	}
	if (tcp->tcp_rtt != 0)
		tcp->tcp_rtt++;
	tcp->tcp_idle++;
	for (i = 0; i < TCPT_NTIMERS; i++) {
		if (tcp->tcp_timer[i] == 0 || --tcp->tcp_timer[i] != 0)
			continue;
		switch (i) {
		case TCPT_REXMT:
			if (++tcp->tcp_rxtshift > TCP_MAXRXTSHIFT) {
				tcp->tcp_rxtshift = TCP_MAXRXTSHIFT;
				return tcp_drop(tcp, ETIMEDOUT);
			}
			tcps.rexmttimeo++;
			KS_INC(tcp_rexmit_timeouts);
			tcp->tcp_rxtcur = ((tcp->tcp_srtt >> 3) + tcp->tcp_rttvar) * tcp_backoff[tcp->tcp_rxtshift];
			if (tcp->tcp_rxtcur < TCPTV_MIN)
				tcp->tcp_rxtcur = TCPTV_MIN * tcp_backoff[tcp->tcp_rxtshift];
			if (tcp->tcp_rxtcur > TCPTV_REXMTMAX)
				tcp->tcp_rxtcur = TCPTV_REXMTMAX;
			tcp->tcp_timer[TCPT_REXMT] = tcp->tcp_rxtcur;
			tcp->tcp_snd_nxt = tcp->tcp_snd_una;
			tcp->tcp_rtt = 0;
			tcp->tcp_cwnd = tcp->tcp_peer_mss;
			tcp->tcp_ssthresh = MAX(2u * tcp->tcp_peer_mss, MIN(tcp->tcp_snd_wnd, tcp->tcp_cwnd) / 2);
			tcp->tcp_dupacks = 0;
			(void)tcp_output(tcp);
			break;
		case TCPT_PERSIST:
			tcps.persisttimeo++;
			tcps.sndprobe++;
			tcp_setpersist(tcp);
			tcp->tcp_flags |= TF_ACKNOW;
			(void)tcp_output(tcp);
			break;
		case TCPT_KEEP:
			if (tcp->tcp_state < TCPS_ESTABLISHED)
				return tcp_drop(tcp, ETIMEDOUT);
			break;
		case TCPT_2MSL:
			unref = tcp_closed(tcp);
			return unref;
		}
	}
	return unref;
}

/* Every TCP tick (from the clock): each connection's delayed ACK and timers. */
void
tcp_slowtimo(void *arg)
{
	tcp_t *list[TCP_MAXCONN];
	tcp_t *tcp;
	int n = 0, i, s;
	(void)arg;
	s = lock_set_spl(&tcp_hash_lock, IPL(IPL_TCP));
	for (tcp = tcp_all; tcp != NULL && n < TCP_MAXCONN; tcp = tcp->tcp_all_next) {
		if (tcp->tcp_state == TCPS_CLOSED)
			continue;
		tcp->tcp_refcnt++;
		list[n++] = tcp;
	}
	lock_clear_splx(&tcp_hash_lock, s);
	for (i = 0; i < n; i++) {
		int unref;
		tcp = list[i];
		s = lock_set_spl(&tcp->tcp_lock, IPL(IPL_TCP));
		unref = tcp->tcp_state != TCPS_CLOSED ? tcp_timers(tcp) : 0;
		lock_clear_splx(&tcp->tcp_lock, s);
		if (unref)
			tcp_unref(tcp);
		tcp_unref(tcp);
	}
}

void
tcp_clock_tick(void)
{
	if (tcp_cache != NULL && lbolt % tcp_ticks_per_slow == 0 && tcp_all != NULL)
		tcp_slowtimo(NULL);
}

/* Run once at boot. */
static __noinline __used void
_init(void)
{
	tcp_cache = kmem_cache_create("tcp_conn_cache", sizeof (tcp_t), 8);
	tcp_iss = bootparam[BP_seed] * 69069u + 1u;
	tcp_ticks_per_slow = hz / TCP_TICK_HZ > 0 ? hz / TCP_TICK_HZ : 1;
	tcp_next_port = (uint16_t)(32768 + (bootparam[BP_seed] % 1000));
	printf("tcp: mss %d, timer every %d ticks, rexmt %d..%d ticks\n",
	    TCP_MSS_DEFAULT, tcp_ticks_per_slow, TCPTV_MIN, TCPTV_REXMTMAX);
}

/* Never called; springboard space. */
static __noinline __used int
_fini(void)
{
	if (tcp_refcnt_total > 0) {
		cmn_err(CE_NOTE, "tcp: %d connections; %u segments in (%u predicted data, %u acks), %u out of order, %u dup acks",
		    tcp_refcnt_total, tcps.rcvtotal, tcps.preddat, tcps.predack, tcps.rcvoopack, tcps.rcvdupack);
		return EBUSY;
	}
	return 0;
}

struct modlinkage tcp_modlinkage = { "tcp", _init, _fini, 0, 0 };
