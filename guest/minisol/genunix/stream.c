/* genunix part: STREAMS messages (mblk/dblk pairs allocated together from kmem). */

mblk_t *
allocb(size_t size, int pri)
{
	size_t total = P2ROUNDUP(sizeof (mblk_t) + sizeof (dblk_t) + size, 8);
	mblk_t *mp;
	dblk_t *dbp;
	(void)pri;
	KS_INC(allocb);
	mp = kmem_alloc(total, KM_NOSLEEP);
	if (mp == NULL)
		return NULL;
	dbp = (dblk_t *)(mp + 1);
	dbp->db_base = (uchar_t *)(dbp + 1);
	dbp->db_lim = dbp->db_base + size;
	dbp->db_ref = 1;
	dbp->db_size = (uint_t)total;
	dbp->db_type = M_DATA;
	mp->b_next = mp->b_prev = mp->b_cont = NULL;
	mp->b_rptr = mp->b_wptr = dbp->db_base;
	mp->b_datap = dbp;
	mp->b_flag = 0;
	mp->b_seq = 0;
	mp->b_seqlen = 0;
	mp->b_fin = 0;
	return mp;
}

void
freeb(mblk_t *mp)
{
	KS_INC(freeb);
	kmem_free(mp, mp->b_datap->db_size);
}

void
freemsg(mblk_t *mp)
{
	while (mp != NULL) {
		mblk_t *next = mp->b_cont;
		freeb(mp);
		mp = next;
	}
}

mblk_t *
copyb(mblk_t *mp)
{
	int len = MBLKL(mp);
	mblk_t *np = allocb((size_t)(mp->b_datap->db_lim - mp->b_datap->db_base), BPRI_MED);
	if (np == NULL)
		return NULL;
	np->b_rptr += mp->b_rptr - mp->b_datap->db_base;
	memcpy(np->b_rptr, mp->b_rptr, (size_t)len);
	np->b_wptr = np->b_rptr + len;
	np->b_seq = mp->b_seq;
	np->b_seqlen = mp->b_seqlen;
	np->b_fin = mp->b_fin;
	return np;
}

/* No shared data blocks here: a duplicate is a copy. */
mblk_t *
dupb(mblk_t *mp)
{
	return copyb(mp);
}

size_t
msgdsize(mblk_t *mp)
{
	size_t n = 0;
	for (; mp != NULL; mp = mp->b_cont)
		n += (size_t)MBLKL(mp);
	return n;
}

void
linkb(mblk_t *mp, mblk_t *bp)
{
	while (mp->b_cont != NULL)
		mp = mp->b_cont;
	mp->b_cont = bp;
}

/* Trims len bytes from the front (len > 0) or the back (len < 0) of a message. */
int
adjmsg(mblk_t *mp, int len)
{
	if (len >= 0) {
		while (len > 0 && mp != NULL) {
			int n = MIN(len, MBLKL(mp));
			mp->b_rptr += n;
			len -= n;
			mp = mp->b_cont;
		}
		return len == 0;
	} else {
		int total = (int)msgdsize(mp), keep = total + len, seen = 0;
		if (keep < 0)
			return 0;
		for (; mp != NULL; mp = mp->b_cont) {
			int l = MBLKL(mp);
			if (seen + l > keep)
				mp->b_wptr = mp->b_rptr + (keep > seen ? keep - seen : 0);
			seen += l;
		}
		return 1;
	}
}

/* A single-block copy of the first len bytes (len < 0: all) of a message. */
mblk_t *
pullupmsg_copy(mblk_t *mp, int len)
{
	int total = (int)msgdsize(mp);
	mblk_t *np;
	int off = 0;
	if (len < 0 || len > total)
		len = total;
	np = allocb((size_t)len, BPRI_MED);
	if (np == NULL)
		return NULL;
	for (; mp != NULL && off < len; mp = mp->b_cont) {
		int n = MIN(MBLKL(mp), len - off);
		memcpy(np->b_wptr, mp->b_rptr, (size_t)n);
		np->b_wptr += n;
		off += n;
	}
	return np;
}
