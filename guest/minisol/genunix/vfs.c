/*
 * genunix part: files and vnodes. The open path the KernInst talk measures: copen -> falloc (a
 * linear search of the file table) and vn_open -> vn_create -> lookuppn + VOP_CREATE (ufs_create);
 * closef, vn_rele, read/write through uio, lseek, ftruncate, unlink, mkdir.
 */

static file_t *file_table[NFILE_SYS];
static kmutex_t file_table_lock;
static kmem_cache_t *file_cache;
vfs_t *rootvfs;
vnode_t *rootdir;

void
vfs_init(void)
{
	mutex_init(&file_table_lock, "file_table");
	file_cache = kmem_cache_create("file_cache", sizeof (file_t), 8);
}

void
vn_init(vnode_t *vp, const vnodeops_t *ops, int type, void *data)
{
	mutex_init(&vp->v_lock, "v_lock");
	vp->v_count = 1;
	vp->v_type = (ushort_t)type;
	vp->v_flag = 0;
	vp->v_op = ops;
	vp->v_data = data;
	vp->v_vfsp = rootvfs;
	vp->v_pages = NULL;
	vp->v_npages = 0;
	vp->v_ndirty = 0;
}

void
vn_hold(vnode_t *vp)
{
	mutex_enter(&vp->v_lock);
	vp->v_count++;
	mutex_exit(&vp->v_lock);
}

void
vn_rele(vnode_t *vp)
{
	KS_INC(vn_rele);
	mutex_enter(&vp->v_lock);
	if (vp->v_count == 0)
		panic("vn_rele: vnode %p has no references", vp);
	if (vp->v_count == 1) {
		mutex_exit(&vp->v_lock);
		KS_INC(vn_inactive);
		VOP_INACTIVE(vp);
		return;
	}
	vp->v_count--;
	mutex_exit(&vp->v_lock);
}

/* ---- the file table ---------------------------------------------------------------------- */

/* Lowest free descriptor of the current process at or above start: a linear search. */
int
ufalloc(int start)
{
	proc_t *p = curthread->t_procp;
	int fd;
	for (fd = start; fd < NFILES; fd++) {
		KS_INC(falloc_scanned);
		if (p->p_files[fd] == NULL)
			return fd;
	}
	return -1;
}

/*
 * Allocates a file structure and a descriptor for it: a linear search of the process' descriptors
 * (ufalloc) and of the system file table. Cheap in practice, as the talk found (0.2% of copen).
 */
int
falloc(vnode_t *vp, int flag, file_t **fpp, int *fdp)
{
	proc_t *p = curthread->t_procp;
	hrtime_t t0 = gethrtime();
	file_t *fp;
	int fd, slot;
	KS_INC(falloc);
	fd = ufalloc(0);
	if (fd < 0)
		return EMFILE;
	fp = kmem_cache_alloc(file_cache, KM_SLEEP);
	mutex_enter(&file_table_lock);
	for (slot = 0; slot < NFILE_SYS; slot++) {
		if (file_table[slot] == NULL)
			break;
	}
	if (slot == NFILE_SYS) {
		mutex_exit(&file_table_lock);
		kmem_cache_free(file_cache, fp);
		return ENFILE;
	}
	file_table[slot] = fp;
	mutex_exit(&file_table_lock);
	mutex_init(&fp->f_tlock, "f_tlock");
	fp->f_flag = (ushort_t)flag;
	fp->f_count = 1;
	fp->f_vnode = vp;
	fp->f_offset = 0;
	fp->f_index = slot;
	p->p_files[fd] = fp;
	if (fd >= p->p_nfiles)
		p->p_nfiles = fd + 1;
	*fpp = fp;
	*fdp = fd;
	KS_CYCLES(falloc_cycles, t0);
	return 0;
}

static void
file_free(file_t *fp)
{
	mutex_enter(&file_table_lock);
	file_table[fp->f_index] = NULL;
	mutex_exit(&file_table_lock);
	kmem_cache_free(file_cache, fp);
}

/* Undoes a falloc whose open failed. */
void
unfalloc(file_t *fp)
{
	file_free(fp);
}

void
setf(int fd, file_t *fp)
{
	curthread->t_procp->p_files[fd] = fp;
}

file_t *
getf(int fd)
{
	proc_t *p = curthread->t_procp;
	if (fd < 0 || fd >= NFILES)
		return NULL;
	return p->p_files[fd];
}

void
releasef(int fd)
{
	(void)fd;
}

int
closef(file_t *fp)
{
	vnode_t *vp;
	int count, error = 0;
	KS_INC(closef);
	mutex_enter(&fp->f_tlock);
	count = --fp->f_count;
	mutex_exit(&fp->f_tlock);
	if (count > 0)
		return 0;
	vp = fp->f_vnode;
	if (vp != NULL) {
		error = VOP_CLOSE(vp, fp->f_flag, 1);
		vn_rele(vp);
	}
	file_free(fp);
	return error;
}

int
closeandsetf(int fd)
{
	file_t *fp = getf(fd);
	if (fp == NULL)
		return EBADF;
	setf(fd, NULL);
	return closef(fp);
}

/* ---- path names -------------------------------------------------------------------------- */

/* Copies the next component of *pp into comp; returns its length (0 at the end). */
static int
pn_getcomponent(const char **pp, char *comp)
{
	const char *p = *pp;
	int n = 0;
	while (*p == '/')
		p++;
	while (*p != '\0' && *p != '/') {
		if (n >= MAXNAMELEN - 1)
			return -1;
		comp[n++] = *p++;
	}
	comp[n] = '\0';
	*pp = p;
	return n;
}

static int
pn_lastcomponent(const char *p)
{
	while (*p == '/')
		p++;
	return *p == '\0';
}

/*
 * Walks a path name from the root or the current directory, one VOP_LOOKUP per component.
 * With dvpp, stops before the last component: returns its directory (held) and copies the
 * component into lastcomp. Otherwise returns the vnode the whole path names (held).
 */
int
lookuppn(const char *path, vnode_t **dvpp, vnode_t **vpp, char *lastcomp)
{
	proc_t *p = curthread->t_procp;
	hrtime_t t0 = gethrtime();
	char comp[MAXNAMELEN];
	vnode_t *vp, *next;
	int error = 0, n;
	KS_INC(lookuppn);
	if (path[0] == '\0')
		return ENOENT;
	vp = (path[0] == '/' || p == NULL || p->p_cdir == NULL) ? rootdir : p->p_cdir;
	vn_hold(vp);
	for (;;) {
		n = pn_getcomponent(&path, comp);
		if (n < 0) {
			error = ENAMETOOLONG;
			break;
		}
		if (n == 0) {
			if (dvpp != NULL) {
				/* "/" or "a/": no last component to create */
				error = EEXIST;
				break;
			}
			*vpp = vp;
			KS_CYCLES(lookuppn_cycles, t0);
			return 0;
		}
		if (dvpp != NULL && pn_lastcomponent(path)) {
			if (vp->v_type != VDIR) {
				error = ENOTDIR;
				break;
			}
			strlcpy(lastcomp, comp, MAXNAMELEN);
			*dvpp = vp;
			KS_CYCLES(lookuppn_cycles, t0);
			return 0;
		}
		if (vp->v_type != VDIR) {
			error = ENOTDIR;
			break;
		}
		error = VOP_LOOKUP(vp, comp, &next);
		if (error != 0)
			break;
		vn_rele(vp);
		vp = next;
	}
	vn_rele(vp);
	KS_CYCLES(lookuppn_cycles, t0);
	return error;
}

int
lookupname(const char *path, vnode_t **dvpp, vnode_t **vpp)
{
	char last[MAXNAMELEN];
	return lookuppn(path, dvpp, vpp, last);
}

/* ---- open and create --------------------------------------------------------------------- */

int
vn_create(const char *path, vattr_t *vap, int excl, int mode, vnode_t **vpp, int flag)
{
	char lastcomp[MAXNAMELEN];
	hrtime_t t0 = gethrtime();
	vnode_t *dvp;
	int error;
	KS_INC(vn_create);
	error = lookuppn(path, &dvp, NULL, lastcomp);
	if (error == 0) {
		error = VOP_CREATE(dvp, lastcomp, vap, excl, mode, vpp, flag);
		vn_rele(dvp);
	}
	KS_CYCLES(vn_create_cycles, t0);
	return error;
}

int
vn_open(const char *path, int filemode, int createmode, vnode_t **vpp)
{
	hrtime_t t0 = gethrtime();
	vnode_t *vp = NULL;
	int error;
	KS_INC(vn_open);
	if (filemode & O_CREAT) {
		vattr_t va;
		bzero(&va, sizeof (va));
		va.va_type = VREG;
		va.va_mode = (uint_t)createmode & 07777;
		va.va_mask = AT_TYPE | AT_MODE;
		if (filemode & O_TRUNC) {
			va.va_size = 0;
			va.va_mask |= AT_SIZE;
		}
		error = vn_create(path, &va, (filemode & O_EXCL) != 0, createmode, &vp, filemode);
	} else {
		error = lookupname(path, NULL, &vp);
		if (error == 0 && vp->v_type == VDIR && (filemode & O_ACCMODE) != O_RDONLY)
			error = EISDIR;
		if (error == 0 && (filemode & O_TRUNC) && vp->v_type == VREG) {
			vattr_t va;
			va.va_mask = AT_SIZE;
			va.va_size = 0;
			error = VOP_SETATTR(vp, &va);
		}
		if (error != 0 && vp != NULL) {
			vn_rele(vp);
			vp = NULL;
		}
	}
	if (error == 0) {
		error = VOP_OPEN(&vp, filemode);
		if (error != 0)
			vn_rele(vp);
	}
	if (error == 0)
		*vpp = vp;
	KS_CYCLES(vn_open_cycles, t0);
	return error;
}

/* open(2) and creat(2): returns a descriptor, or -errno. */
int
copen(const char *path, int filemode, int createmode)
{
	hrtime_t t0 = gethrtime();
	file_t *fp;
	vnode_t *vp;
	int fd, error;
	int fflags = (filemode & O_ACCMODE) + 1;
	KS_INC(copen);
	error = falloc(NULL, fflags, &fp, &fd);
	if (error == 0) {
		error = vn_open(path, filemode, createmode, &vp);
		if (error != 0) {
			setf(fd, NULL);
			unfalloc(fp);
		} else {
			fp->f_vnode = vp;
			if (filemode & O_APPEND) {
				vattr_t va;
				if (VOP_GETATTR(vp, &va) == 0)
					fp->f_offset = va.va_size;
			}
		}
	}
	KS_CYCLES(copen_cycles, t0);
	return error != 0 ? -error : fd;
}

int
vn_remove(const char *path)
{
	char lastcomp[MAXNAMELEN];
	vnode_t *dvp;
	int error = lookuppn(path, &dvp, NULL, lastcomp);
	if (error != 0)
		return error;
	error = VOP_REMOVE(dvp, lastcomp);
	vn_rele(dvp);
	return error;
}

int
vn_mkdir(const char *path, int mode)
{
	char lastcomp[MAXNAMELEN];
	vnode_t *dvp, *vp;
	vattr_t va;
	int error = lookuppn(path, &dvp, NULL, lastcomp);
	if (error != 0)
		return error;
	bzero(&va, sizeof (va));
	va.va_type = VDIR;
	va.va_mode = (uint_t)mode & 07777;
	va.va_mask = AT_TYPE | AT_MODE;
	error = VOP_MKDIR(dvp, lastcomp, &va, &vp);
	if (error == 0)
		vn_rele(vp);
	vn_rele(dvp);
	return error;
}

int
vn_rmdir(const char *path)
{
	char lastcomp[MAXNAMELEN];
	vnode_t *dvp;
	int error = lookuppn(path, &dvp, NULL, lastcomp);
	if (error != 0)
		return error;
	error = VOP_RMDIR(dvp, lastcomp);
	vn_rele(dvp);
	return error;
}

/* ---- reading and writing ----------------------------------------------------------------- */

int
uiomove(void *cp, size_t n, int rw, uio_t *uiop)
{
	size_t cnt = MIN(n, uiop->uio_resid);
	if (rw == UIO_READ)
		memcpy(uiop->uio_base, cp, cnt);
	else
		memcpy(cp, uiop->uio_base, cnt);
	uiop->uio_base += cnt;
	uiop->uio_resid -= cnt;
	uiop->uio_offset += cnt;
	return 0;
}

int
vn_rdwr(int rw, vnode_t *vp, caddr_t base, size_t len, u_offset_t off, int *residp)
{
	uio_t uio;
	int error;
	uio.uio_base = base;
	uio.uio_resid = len;
	uio.uio_offset = off;
	uio.uio_rw = rw;
	error = rw == UIO_READ ? VOP_READ(vp, &uio, 0) : VOP_WRITE(vp, &uio, 0);
	if (residp != NULL)
		*residp = (int)uio.uio_resid;
	return error;
}

/* read(2)/write(2): bytes transferred, or -errno. */
int
fop_rw(int fd, caddr_t buf, size_t len, int rw)
{
	file_t *fp = getf(fd);
	vnode_t *vp;
	uio_t uio;
	int error;
	if (fp == NULL)
		return -EBADF;
	if ((rw == UIO_READ && !(fp->f_flag & FREAD)) || (rw == UIO_WRITE && !(fp->f_flag & FWRITE)))
		return -EBADF;
	if (copyin(buf, buf, 0) != 0 || (len > 0 && (uint_t)buf + len > RAM_TOP))
		return -EFAULT;
	vp = fp->f_vnode;
	mutex_enter(&fp->f_tlock);
	uio.uio_base = buf;
	uio.uio_resid = len;
	uio.uio_offset = fp->f_offset;
	uio.uio_rw = rw;
	error = rw == UIO_READ ? VOP_READ(vp, &uio, 0) : VOP_WRITE(vp, &uio, 0);
	if (vp->v_type == VREG)
		fp->f_offset = uio.uio_offset;
	mutex_exit(&fp->f_tlock);
	releasef(fd);
	if (error != 0 && uio.uio_resid == len)
		return -error;
	if (rw == UIO_READ)
		KS_ADD(read_bytes, len - uio.uio_resid);
	else
		KS_ADD(write_bytes, len - uio.uio_resid);
	return (int)(len - uio.uio_resid);
}

int
fop_seek(int fd, int off, int whence)
{
	file_t *fp = getf(fd);
	vattr_t va;
	int base;
	if (fp == NULL)
		return -EBADF;
	if (fp->f_vnode->v_type == VSOCK)
		return -ESPIPE;
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (int)fp->f_offset;
		break;
	case SEEK_END:
		if (VOP_GETATTR(fp->f_vnode, &va) != 0)
			return -EIO;
		base = (int)va.va_size;
		break;
	default:
		return -EINVAL;
	}
	if (base + off < 0)
		return -EINVAL;
	fp->f_offset = (u_offset_t)(base + off);
	return base + off;
}

int
fop_truncate(int fd, uint_t len)
{
	file_t *fp = getf(fd);
	if (fp == NULL || !(fp->f_flag & FWRITE))
		return EBADF;
	if (fp->f_vnode->v_type != VREG)
		return EINVAL;
	return VOP_SPACE(fp->f_vnode, len);
}
