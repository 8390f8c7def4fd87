/* minisol: Ethernet, IP and TCP headers, TCP connection state, sockets. */
#ifndef _MINISOL_NET_H
#define _MINISOL_NET_H
#include "sys.h"

#define ETHERTYPE_IP  0x0800
#define ETHER_HDRLEN  14
#define ETHERMTU      1500
#define IPPROTO_ICMP  1
#define IPPROTO_TCP   6
#define IP_HDRLEN     20
#define TCP_HDRLEN    20
#define TCP_MSS_DEFAULT 1460
#define IP_DF         0x4000
#define IP_MF         0x2000
#define IP_OFFMASK    0x1fff

struct ether_header {
	uint8_t ether_dhost[6];
	uint8_t ether_shost[6];
	uint16_t ether_type;
} __attribute__((packed));

struct ip {
	uint8_t ip_vhl;
	uint8_t ip_tos;
	uint16_t ip_len;
	uint16_t ip_id;
	uint16_t ip_off;
	uint8_t ip_ttl;
	uint8_t ip_p;
	uint16_t ip_sum;
	uint32_t ip_src;
	uint32_t ip_dst;
};

struct tcphdr {
	uint16_t th_sport;
	uint16_t th_dport;
	uint32_t th_seq;
	uint32_t th_ack;
	uint8_t th_off;              /* data offset in words, upper nibble */
	uint8_t th_flags;
	uint16_t th_win;
	uint16_t th_sum;
	uint16_t th_urp;
};
#define TH_FIN  0x01
#define TH_SYN  0x02
#define TH_RST  0x04
#define TH_PUSH 0x08
#define TH_ACK  0x10
#define TH_URG  0x20

#define TCPOPT_EOL        0
#define TCPOPT_NOP        1
#define TCPOPT_MAXSEG     2
#define TCPOPT_WINDOW     3
#define TCPOPT_SACK_PERMITTED 4
#define TCPOPT_SACK       5
#define TCPOPT_TIMESTAMP  8

struct icmp {
	uint8_t icmp_type;
	uint8_t icmp_code;
	uint16_t icmp_cksum;
	uint16_t icmp_id;
	uint16_t icmp_seq;
};

/* TCP states (RFC 793) */
#define TCPS_CLOSED       0
#define TCPS_LISTEN       1
#define TCPS_SYN_SENT     2
#define TCPS_SYN_RECEIVED 3
#define TCPS_ESTABLISHED  4
#define TCPS_CLOSE_WAIT   5
#define TCPS_FIN_WAIT_1   6
#define TCPS_CLOSING      7
#define TCPS_LAST_ACK     8
#define TCPS_FIN_WAIT_2   9
#define TCPS_TIME_WAIT    10
#define TCPS_HAVERCVDSYN(s) ((s) >= TCPS_SYN_RECEIVED)
#define TCPS_HAVEESTABLISHED(s) ((s) >= TCPS_ESTABLISHED)

/* tcp_flags */
#define TF_ACKNOW        0x0001
#define TF_DELACK        0x0002
#define TF_NODELAY       0x0004
#define TF_SENTFIN       0x0008
#define TF_RCVD_SCALE    0x0010
#define TF_REQ_SCALE     0x0020
#define TF_RCVD_TSTMP    0x0040
#define TF_REQ_TSTMP     0x0080
#define TF_SACK_PERMIT   0x0100
#define TF_FASTRECOVERY  0x0200
#define TF_NEEDFIN       0x0400
#define TF_WINUPDATE     0x0800

/* timers, in TCP slow ticks (see tcp.c: TCP_TICK_HZ per second) */
#define TCPT_REXMT   0
#define TCPT_PERSIST 1
#define TCPT_KEEP    2
#define TCPT_2MSL    3
#define TCPT_NTIMERS 4

#define SEQ_LT(a, b)  ((int)((a) - (b)) < 0)
#define SEQ_LEQ(a, b) ((int)((a) - (b)) <= 0)
#define SEQ_GT(a, b)  ((int)((a) - (b)) > 0)
#define SEQ_GEQ(a, b) ((int)((a) - (b)) >= 0)

struct sonode;

typedef struct tcp {
	struct tcp *tcp_hash_next;
	struct tcp *tcp_all_next;
	lock_t tcp_lock;                 /* protects the connection and its socket buffers */
	uchar_t tcp_pad[3];
	int tcp_refcnt;                  /* the socket's reference, lookups in progress */
	int tcp_state;
	uint_t tcp_flags;
	uint32_t tcp_laddr;
	uint32_t tcp_faddr;
	uint16_t tcp_lport;
	uint16_t tcp_fport;
	/* send sequence space */
	uint32_t tcp_iss;
	uint32_t tcp_snd_una;
	uint32_t tcp_snd_nxt;
	uint32_t tcp_snd_max;
	uint32_t tcp_snd_wnd;
	uint32_t tcp_snd_wl1;
	uint32_t tcp_snd_wl2;
	uint32_t tcp_snd_up;
	uint32_t tcp_cwnd;
	uint32_t tcp_ssthresh;
	uint32_t tcp_max_sndwnd;
	/* receive sequence space */
	uint32_t tcp_irs;
	uint32_t tcp_rcv_nxt;
	uint32_t tcp_rcv_wnd;
	uint32_t tcp_rcv_adv;
	uint32_t tcp_rcv_up;
	uint16_t tcp_mss;
	uint16_t tcp_peer_mss;
	uint8_t tcp_snd_scale;
	uint8_t tcp_rcv_scale;
	uint8_t tcp_req_r_scale;
	uint8_t tcp_oobflags;
	uint8_t tcp_iobc;                /* the out-of-band byte */
	uint8_t tcp_pad2[3];
	uint32_t tcp_ts_recent;
	uint32_t tcp_ts_recent_age;
	int tcp_dupacks;
	/* retransmission */
	int tcp_timer[TCPT_NTIMERS];
	int tcp_rxtshift;
	int tcp_rxtcur;
	int tcp_srtt;
	int tcp_rttvar;
	int tcp_rtt;                     /* ticks since tcp_rtseq was sent, 0 = not timing */
	uint32_t tcp_rtseq;
	int tcp_idle;
	/* out-of-order segments, sorted by sequence number (b_seq), data in b_rptr..b_wptr */
	mblk_t *tcp_reass;
	int tcp_reass_cnt;
	struct sonode *tcp_so;
	int tcp_error;
	/* statistics of this connection */
	uint_t tcp_segs_in;
	uint_t tcp_segs_out;
	uint_t tcp_bytes_in;
	uint_t tcp_ooo_in;
	uint_t tcp_rexmits;
} tcp_t;

#define TCPOOB_HAVEDATA 0x01
#define TCPOOB_HADDATA  0x02

struct sockbuf {
	mblk_t *sb_mb;                   /* first message */
	mblk_t *sb_mbtail;
	uint_t sb_cc;                    /* bytes queued */
	uint_t sb_hiwat;
	uint_t sb_lowat;
	uint_t sb_flags;
};
#define SB_WAIT 0x1

#define SS_ISCONNECTED   0x0001
#define SS_ISCONNECTING  0x0002
#define SS_CANTRCVMORE   0x0004
#define SS_CANTSENDMORE  0x0008
#define SS_RCVATMARK     0x0010
#define SS_ISDISCONNECTED 0x0020
#define SS_CLOSING       0x0040

typedef struct sonode {
	vnode_t so_vnode;
	tcp_t *so_tcp;
	struct sockbuf so_rcv;
	struct sockbuf so_snd;
	volatile int so_state;
	int so_error;
	uint_t so_oobmark;
	uint_t so_rwaiters;
	uint_t so_wwaiters;
} sonode_t;

/* ip.c */
extern uint32_t ip_myaddr;
extern uint8_t ip_mymac[6];
extern uint8_t ip_gwmac[6];
extern void ip_rput(mblk_t *mp);
extern int ip_wput(mblk_t *mp, uint32_t dst, int proto);
extern uint16_t ip_csum_hdr(struct ip *iph);
extern uint32_t ip_cksum_partial(const uchar_t *p, int len, uint32_t sum);
extern uint16_t ip_cksum_fold(uint32_t sum);
extern uint32_t ip_cksum_mblk(mblk_t *mp, int off, uint32_t sum);
/* tcp.c */
extern void tcp_input(mblk_t *mp, struct ip *iph, int iphlen);
extern tcp_t *tcp_lookup(uint32_t faddr, uint16_t fport, uint32_t laddr, uint16_t lport);
extern int tcp_rput_data(tcp_t *tcp, mblk_t *mp, struct ip *iph, struct tcphdr *th, int tlen);
extern int tcp_wput(tcp_t *tcp, mblk_t *mp);
extern int tcp_output(tcp_t *tcp);
extern tcp_t *tcp_create(sonode_t *so);
extern int tcp_connect(tcp_t *tcp, uint32_t faddr, uint16_t fport);
extern void tcp_rcvd(tcp_t *tcp);
extern void tcp_close(tcp_t *tcp);
extern void tcp_slowtimo(void *arg);
extern void tcp_clock_tick(void);
/* hme.c */
extern int hme_start(mblk_t *mp);
extern void hmeintr(void *arg);
/* sockfs.c */
extern void sbappend(struct sockbuf *sb, mblk_t *mp);
extern void sbdrop(struct sockbuf *sb, uint_t len);
extern void sbflush(struct sockbuf *sb);
extern uint_t sbspace(struct sockbuf *sb);
extern void sorwakeup(sonode_t *so);
extern void sowwakeup(sonode_t *so);
extern void soisconnected(sonode_t *so);
extern void soisdisconnected(sonode_t *so, int error);
extern void sohasoutofband(sonode_t *so);
extern void socantrcvmore(sonode_t *so);
extern void sbcopy(struct sockbuf *sb, uint_t off, uint_t len, uchar_t *dst);
extern int so_socket_sys(int domain, int type);
extern int so_connect_sys(int fd, struct sockaddr_in *sin);
extern int so_send_sys(int fd, const void *buf, size_t len);
extern int so_recv_sys(int fd, void *buf, size_t len);

#endif
