/*
 * sockfs: sockets over TCP. A socket is a vnode (VSOCK) in the file table with a receive and a
 * send buffer (chains of STREAMS messages); the TCP connection's spin lock guards both. Receivers
 * sleep on the receive buffer until tcp_rput_data appends data and wakes them.
 */
#include "sys.h"
#include "net.h"

static kmem_cache_t *sonode_cache;
static const vnodeops_t sock_vnodeops;
#define SO_RCVBUF (32 * 1024)
#define SO_SNDBUF (8 * 1024)

struct so_stats {
	uint_t sockets;
	uint_t connects;
	uint_t refused;
	uint_t recv_waits;
	uint_t oob_marks;
} so_stats;

/* ---- socket buffers (tcp_lock held) ------------------------------------------------------ */

void
sbappend(struct sockbuf *sb, mblk_t *mp)
{
	size_t n = msgdsize(mp);
	KS_INC(sbappend);
	if (n == 0) {
		freemsg(mp);
		return;
	}
	if (sb->sb_mbtail != NULL)
		sb->sb_mbtail->b_next = mp;
	else
		sb->sb_mb = mp;
	sb->sb_mbtail = mp;
	mp->b_next = NULL;
	sb->sb_cc += (uint_t)n;
}

/* Drops len bytes from the front of the buffer. */
void
sbdrop(struct sockbuf *sb, uint_t len)
{
	while (len > 0 && sb->sb_mb != NULL) {
		mblk_t *mp = sb->sb_mb;
		int l = MBLKL(mp);
		if ((uint_t)l <= len) {
			mblk_t *next = mp->b_cont;
			len -= (uint_t)l;
			sb->sb_cc -= (uint_t)l;
			if (next != NULL) {
				next->b_next = mp->b_next;
				if (sb->sb_mbtail == mp)
					sb->sb_mbtail = next;
				sb->sb_mb = next;
			} else {
				sb->sb_mb = mp->b_next;
				if (sb->sb_mb == NULL)
					sb->sb_mbtail = NULL;
			}
			freeb(mp);
		} else {
			mp->b_rptr += len;
			sb->sb_cc -= len;
			len = 0;
		}
	}
}

void
sbflush(struct sockbuf *sb)
{
	sbdrop(sb, sb->sb_cc);
	while (sb->sb_mb != NULL) {
		mblk_t *mp = sb->sb_mb;
		sb->sb_mb = mp->b_next;
		freemsg(mp);
	}
	sb->sb_mbtail = NULL;
	sb->sb_cc = 0;
}

uint_t
sbspace(struct sockbuf *sb)
{
	return sb->sb_hiwat > sb->sb_cc ? sb->sb_hiwat - sb->sb_cc : 0;
}

/* Copies len bytes starting off bytes into the buffer to dst (TCP retransmission). */
void
sbcopy(struct sockbuf *sb, uint_t off, uint_t len, uchar_t *dst)
{
	mblk_t *rec, *mp;
	for (rec = sb->sb_mb; rec != NULL && len > 0; rec = rec->b_next) {
		for (mp = rec; mp != NULL && len > 0; mp = mp->b_cont) {
			uint_t l = (uint_t)MBLKL(mp), n;
			if (off >= l) {
				off -= l;
				continue;
			}
			n = MIN(l - off, len);
			memcpy(dst, mp->b_rptr + off, n);
			dst += n;
			len -= n;
			off = 0;
		}
	}
}

void
sorwakeup(sonode_t *so)
{
	if (so->so_rwaiters)
		wakeup(&so->so_rcv);
}

void
sowwakeup(sonode_t *so)
{
	if (so->so_wwaiters)
		wakeup(&so->so_snd);
}

void
soisconnected(sonode_t *so)
{
	so->so_state = (so->so_state & ~SS_ISCONNECTING) | SS_ISCONNECTED;
	wakeup(&so->so_state);
}

void
soisdisconnected(sonode_t *so, int error)
{
	so->so_state = (so->so_state & ~(SS_ISCONNECTING | SS_ISCONNECTED)) | SS_ISDISCONNECTED | SS_CANTRCVMORE | SS_CANTSENDMORE;
	if (error != 0)
		so->so_error = error;
	wakeup(&so->so_state);
	wakeup(&so->so_rcv);
	wakeup(&so->so_snd);
}

void
socantrcvmore(sonode_t *so)
{
	so->so_state |= SS_CANTRCVMORE;
	wakeup(&so->so_rcv);
}

void
sohasoutofband(sonode_t *so)
{
	so_stats.oob_marks++;
	wakeup(&so->so_rcv);
}

/* ---- system calls ------------------------------------------------------------------------ */

int
so_socket_sys(int domain, int type)
{
	sonode_t *so;
	file_t *fp;
	int fd, error;
	if (domain != AF_INET || type != SOCK_STREAM)
		return -EINVAL;
	so = kmem_cache_alloc(sonode_cache, KM_SLEEP);
	bzero(so, sizeof (*so));
	vn_init(&so->so_vnode, &sock_vnodeops, VSOCK, so);
	so->so_rcv.sb_hiwat = SO_RCVBUF;
	so->so_snd.sb_hiwat = SO_SNDBUF;
	so->so_tcp = tcp_create(so);
	if (so->so_tcp == NULL) {
		kmem_cache_free(sonode_cache, so);
		return -ENOMEM;
	}
	error = falloc(&so->so_vnode, FREAD | FWRITE, &fp, &fd);
	if (error != 0) {
		vn_rele(&so->so_vnode);
		return -error;
	}
	so_stats.sockets++;
	return fd;
}

static sonode_t *
getsonode(int fd)
{
	file_t *fp = getf(fd);
	if (fp == NULL || fp->f_vnode == NULL || fp->f_vnode->v_type != VSOCK)
		return NULL;
	return (sonode_t *)fp->f_vnode->v_data;
}

/* Active open: sends the SYN and waits for the connection (or its failure). */
int
so_connect_sys(int fd, struct sockaddr_in *sin)
{
	sonode_t *so = getsonode(fd);
	tcp_t *tcp;
	int s, error;
	if (so == NULL)
		return -ENOTSOCK;
	if (sin->sin_family != AF_INET)
		return -EINVAL;
	tcp = so->so_tcp;
	s = lock_set_spl(&tcp->tcp_lock, IPL(IPL_TCP));
	if (so->so_state & (SS_ISCONNECTED | SS_ISCONNECTING)) {
		lock_clear_splx(&tcp->tcp_lock, s);
		return -EALREADY;
	}
	so->so_state |= SS_ISCONNECTING;
	error = tcp_connect(tcp, sin->sin_addr, sin->sin_port);
	while (error == 0 && (so->so_state & SS_ISCONNECTING) && !(so->so_state & SS_ISDISCONNECTED))
		sleep_spin(&so->so_state, &tcp->tcp_lock);
	if (error == 0 && !(so->so_state & SS_ISCONNECTED))
		error = so->so_error != 0 ? so->so_error : ECONNREFUSED;
	lock_clear_splx(&tcp->tcp_lock, s);
	so_stats.connects++;
	if (error != 0)
		so_stats.refused++;
	return error != 0 ? -error : 0;
}

/* Appends to the send buffer (waiting for room) and lets TCP send. Returns bytes or -errno. */
static int
sosend(sonode_t *so, const uchar_t *buf, size_t len)
{
	tcp_t *tcp = so->so_tcp;
	size_t done = 0;
	int s;
	KS_INC(sosend);
	s = lock_set_spl(&tcp->tcp_lock, IPL(IPL_TCP));
	while (done < len) {
		uint_t space;
		mblk_t *mp;
		if (so->so_state & SS_CANTSENDMORE) {
			lock_clear_splx(&tcp->tcp_lock, s);
			return done > 0 ? (int)done : -(so->so_error != 0 ? so->so_error : EPIPE);
		}
		space = sbspace(&so->so_snd);
		if (space == 0) {
			so->so_wwaiters++;
			sleep_spin(&so->so_snd, &tcp->tcp_lock);
			so->so_wwaiters--;
			continue;
		}
		space = MIN(space, (uint_t)(len - done));
		space = MIN(space, 1024u);
		mp = allocb(space, BPRI_MED);
		if (mp == NULL) {
			lock_clear_splx(&tcp->tcp_lock, s);
			return done > 0 ? (int)done : -ENOMEM;
		}
		memcpy(mp->b_wptr, buf + done, space);
		mp->b_wptr += space;
		done += space;
		(void)tcp_wput(tcp, mp);
	}
	lock_clear_splx(&tcp->tcp_lock, s);
	return (int)done;
}

/*
 * Takes up to len bytes from the receive buffer, waiting for data; stops at the out-of-band mark.
 * Returns bytes, 0 at end of stream, or -errno.
 */
static int
soreceive(sonode_t *so, uchar_t *buf, size_t len)
{
	tcp_t *tcp = so->so_tcp;
	uint_t n = 0;
	int s;
	KS_INC(soreceive);
	s = lock_set_spl(&tcp->tcp_lock, IPL(IPL_TCP));
	while (so->so_rcv.sb_cc == 0) {
		if (so->so_error != 0) {
			int e = so->so_error;
			so->so_error = 0;
			lock_clear_splx(&tcp->tcp_lock, s);
			return -e;
		}
		if (so->so_state & SS_CANTRCVMORE) {
			lock_clear_splx(&tcp->tcp_lock, s);
			return 0;
		}
		so_stats.recv_waits++;
		so->so_rwaiters++;
		sleep_spin(&so->so_rcv, &tcp->tcp_lock);
		so->so_rwaiters--;
	}
	n = MIN((uint_t)len, so->so_rcv.sb_cc);
	if (so->so_oobmark > 0 && n > so->so_oobmark)
		n = so->so_oobmark;
	sbcopy(&so->so_rcv, 0, n, buf);
	sbdrop(&so->so_rcv, n);
	if (so->so_oobmark > 0) {
		so->so_oobmark -= n;
		if (so->so_oobmark == 0)
			so->so_state |= SS_RCVATMARK;
	} else {
		so->so_state &= ~SS_RCVATMARK;
	}
	tcp_rcvd(tcp);
	lock_clear_splx(&tcp->tcp_lock, s);
	return (int)n;
}

int
so_send_sys(int fd, const void *buf, size_t len)
{
	sonode_t *so = getsonode(fd);
	if (so == NULL)
		return -ENOTSOCK;
	return sosend(so, buf, len);
}

int
so_recv_sys(int fd, void *buf, size_t len)
{
	sonode_t *so = getsonode(fd);
	if (so == NULL)
		return -ENOTSOCK;
	return soreceive(so, buf, len);
}

/* ---- the socket vnode -------------------------------------------------------------------- */

static int
sock_open(vnode_t **vpp, int flag)
{
	(void)vpp;
	(void)flag;
	return 0;
}

static int
sock_close(vnode_t *vp, int flag, int count)
{
	sonode_t *so = vp->v_data;
	tcp_t *tcp = so->so_tcp;
	int s;
	(void)flag;
	(void)count;
	if (tcp == NULL)
		return 0;
	s = lock_set_spl(&tcp->tcp_lock, IPL(IPL_TCP));
	so->so_state |= SS_CLOSING | SS_CANTSENDMORE;
	sbflush(&so->so_rcv);
	so->so_tcp = NULL;
	lock_clear_splx(&tcp->tcp_lock, s);
	tcp_close(tcp);
	return 0;
}

static int
sock_read(vnode_t *vp, uio_t *uiop, int ioflag)
{
	sonode_t *so = vp->v_data;
	int n;
	(void)ioflag;
	if (so->so_tcp == NULL)
		return ENOTCONN;
	n = soreceive(so, (uchar_t *)uiop->uio_base, uiop->uio_resid);
	if (n < 0)
		return -n;
	uiop->uio_base += n;
	uiop->uio_resid -= (size_t)n;
	return 0;
}

static int
sock_write(vnode_t *vp, uio_t *uiop, int ioflag)
{
	sonode_t *so = vp->v_data;
	int n;
	(void)ioflag;
	if (so->so_tcp == NULL)
		return ENOTCONN;
	n = sosend(so, (const uchar_t *)uiop->uio_base, uiop->uio_resid);
	if (n < 0)
		return -n;
	uiop->uio_base += n;
	uiop->uio_resid -= (size_t)n;
	return 0;
}

static int
sock_getattr(vnode_t *vp, vattr_t *vap)
{
	sonode_t *so = vp->v_data;
	bzero(vap, sizeof (*vap));
	vap->va_type = VSOCK;
	vap->va_size = so->so_rcv.sb_cc;
	vap->va_nlink = 1;
	return 0;
}

static int
sock_setattr(vnode_t *vp, vattr_t *vap)
{
	(void)vp;
	(void)vap;
	return EINVAL;
}

static int
sock_lookup(vnode_t *dvp, const char *nm, vnode_t **vpp)
{
	(void)dvp;
	(void)nm;
	(void)vpp;
	return ENOTDIR;
}

static int
sock_create(vnode_t *dvp, const char *nm, vattr_t *vap, int excl, int mode, vnode_t **vpp, int flag)
{
	(void)dvp;
	(void)nm;
	(void)vap;
	(void)excl;
	(void)mode;
	(void)vpp;
	(void)flag;
	return ENOTDIR;
}

static int
sock_remove(vnode_t *dvp, const char *nm)
{
	(void)dvp;
	(void)nm;
	return ENOTDIR;
}

static int
sock_mkdir(vnode_t *dvp, const char *nm, vattr_t *vap, vnode_t **vpp)
{
	(void)dvp;
	(void)nm;
	(void)vap;
	(void)vpp;
	return ENOTDIR;
}

static int
sock_fsync(vnode_t *vp)
{
	(void)vp;
	return 0;
}

static int
sock_getpage(vnode_t *vp, u_offset_t off, struct page **ppp, int rw)
{
	(void)vp;
	(void)off;
	(void)ppp;
	(void)rw;
	return ENOSYS;
}

static int
sock_putpage(vnode_t *vp, u_offset_t off, size_t len, int flags)
{
	(void)vp;
	(void)off;
	(void)len;
	(void)flags;
	return ENOSYS;
}

static int
sock_space(vnode_t *vp, u_offset_t len)
{
	(void)vp;
	(void)len;
	return EINVAL;
}

static void
sock_inactive(vnode_t *vp)
{
	sonode_t *so = vp->v_data;
	mutex_enter(&vp->v_lock);
	if (vp->v_count > 1) {
		vp->v_count--;
		mutex_exit(&vp->v_lock);
		return;
	}
	vp->v_count = 0;
	mutex_exit(&vp->v_lock);
	if (so->so_tcp != NULL) {
		tcp_t *tcp = so->so_tcp;
		so->so_tcp = NULL;
		tcp_close(tcp);
	}
	sbflush(&so->so_snd);
	sbflush(&so->so_rcv);
	kmem_cache_free(sonode_cache, so);
}

static const vnodeops_t sock_vnodeops = {
	"sockfs",
	sock_open,
	sock_close,
	sock_read,
	sock_write,
	sock_getattr,
	sock_setattr,
	sock_lookup,
	sock_create,
	sock_remove,
	sock_mkdir,
	sock_remove,
	sock_inactive,
	sock_fsync,
	sock_getpage,
	sock_putpage,
	sock_space,
};

/* Run once at boot. */
static __noinline __used void
_init(void)
{
	sonode_cache = kmem_cache_create("sock_cache", sizeof (sonode_t), 8);
	printf("sockfs: receive buffers %u bytes, send buffers %u bytes\n", SO_RCVBUF, SO_SNDBUF);
}

/* Never called; springboard space. */
static __noinline __used int
_fini(void)
{
	if (so_stats.sockets > 0) {
		cmn_err(CE_NOTE, "sockfs: busy: %u sockets made, %u connects (%u refused), %u waits",
		    so_stats.sockets, so_stats.connects, so_stats.refused, so_stats.recv_waits);
		return EBUSY;
	}
	return 0;
}

struct modlinkage sockfs_modlinkage = { "sockfs", _init, _fini, 0, 0 };
