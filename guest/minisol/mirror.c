/*
 * mirror: a web mirroring client (the talk's "mirror Paradyn papers Web page" benchmark). One
 * process per server keeps a TCP connection (10 by default), asks for files with HTTP/1.1
 * keep-alive requests, and writes each response body into /mirror/sN/fK. Receive interrupts carry
 * the data through hmeintr, ip_rput and tcp_rput_data into the socket buffer. The contents are
 * checked against what the host's traffic generator serves.
 */
#include "libc.h"

/* _init runs in the kernel at boot (the module table), so it may use the kernel's printf */
extern int printf(const char *fmt, ...);
extern uint_t bootparam[];

#define MIRROR_NAMES 32             /* file names reused per server: fK for K mod 32 */
#define HDRMAX 512

static uint_t mirror_started;

/* Run once at boot. */
static __noinline __used void
_init(void)
{
	uint_t ip = bootparam[BP_net_server_ip];
	mirror_started = 0;
	if (!(bootparam[BP_workloads] & WL_MIRROR))
		return;
	printf("mirror: %u connections to %u.%u.%u.%u.. port %u, %u files each\n", bootparam[BP_mirror_conns],
	    ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255, bootparam[BP_net_port], bootparam[BP_mirror_files]);
}

/* Reads the response header; returns the content length, or -errno / -1 on a bad header. */
static int
mirror_read_header(int fd, char *hdr, uchar_t *body, int *bodylen)
{
	int have = 0, i;
	for (;;) {
		int n = recv(fd, hdr + have, (size_t)(HDRMAX - 1 - have));
		if (n <= 0)
			return n == 0 ? -ECONNRESET : n;
		have += n;
		hdr[have] = '\0';
		for (i = 0; i + 3 < have; i++) {
			if (hdr[i] == '\r' && hdr[i + 1] == '\n' && hdr[i + 2] == '\r' && hdr[i + 3] == '\n') {
				int j, len = -1, start = i + 4;
				for (j = 0; j < i; j++) {
					if (ustrncmp(hdr + j, "Content-Length: ", 16) == 0) {
						len = (int)uatoi(hdr + j + 16);
						break;
					}
				}
				*bodylen = have - start;
				for (j = 0; j < *bodylen; j++)
					body[j] = (uchar_t)hdr[start + j];
				return len;
			}
		}
		if (have >= HDRMAX - 1)
			return -1;
	}
}

/* One request on an open connection. Returns 0, or a negative error (reconnect). */
static int
mirror_get(int fd, uint_t server, uint_t file, uchar_t *buf, char *hdr)
{
	char req[128], path[40];
	int len, got, bodylen, out, n;
	uint_t bad = 0, off = 0;
	n = ufmt(req, sizeof (req), "GET /s%u/f%u HTTP/1.1\r\nHost: server%u\r\n\r\n", server, file, server);
	if (send(fd, req, (size_t)n) != n)
		return -EPIPE;
	len = mirror_read_header(fd, hdr, buf, &bodylen);
	if (len < 0)
		return len;
	ufmt(path, sizeof (path), "/mirror/s%u/f%u", server, file % MIRROR_NAMES);
	out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0)
		return out;
	got = bodylen;
	for (;;) {
		int i;
		for (i = 0; i < got; i++)
			if (buf[i] != mirror_file_byte(server, file, off + (uint_t)i))
				bad++;
		if (got > 0 && write(out, buf, (size_t)got) != got)
			break;
		off += (uint_t)got;
		if ((int)off >= len)
			break;
		got = recv(fd, buf, (size_t)MIN(8192, len - (int)off));
		if (got <= 0) {
			close(out);
			if (bad > 0)
				kstat_add(KS_mirror_bad_bytes, bad);
			return got == 0 ? -ECONNRESET : got;
		}
	}
	close(out);
	if (bad > 0)
		kstat_add(KS_mirror_bad_bytes, bad);
	kstat_add(KS_mirror_files, 1);
	kstat_add(KS_mirror_bytes, off);
	/* which file, its length and how many of its bytes were wrong */
	result_note(((server * 1000u + file) * 31u + off) * 31u + bad);
	return 0;
}

static void
mirror_worker(void *arg)
{
	uint_t server = (uint_t)arg;
	uint_t per_conn = bootparam_get(BP_mirror_files);
	uint_t file = 0;
	uchar_t *buf = ubuf();
	char *hdr = (char *)buf + 16384;
	struct sockaddr_in sin;
	char name[16];
	ufmt(name, sizeof (name), "wget%u", server);
	setname(name, WL_MIRROR);
	sin.sin_family = AF_INET;
	sin.sin_port = (uint16_t)bootparam_get(BP_net_port);
	sin.sin_addr = bootparam_get(BP_net_server_ip) + server;
	if (per_conn == 0)
		per_conn = 8;
	while (!shutdown_q()) {
		int fd = socket(AF_INET, SOCK_STREAM);
		uint_t k;
		if (fd < 0) {
			usleep(10000);
			continue;
		}
		if (connect(fd, &sin) < 0) {
			close(fd);
			usleep(5000);
			continue;
		}
		kstat_add(KS_mirror_connects, 1);
		for (k = 0; k < per_conn && !shutdown_q(); k++) {
			int error = mirror_get(fd, server, file, buf, hdr);
			if (error < 0) {
				kstat_add(KS_mirror_resets, 1);
				break;
			}
			file++;
		}
		close(fd);
	}
	_exit(0);
}

void
mirror_main(void *arg)
{
	uint_t i, n = bootparam_get(BP_mirror_conns);
	int status;
	char path[24];
	(void)arg;
	setname("mirror", WL_MIRROR);
	mirror_started = 1;
	for (i = 0; i < n; i++) {
		ufmt(path, sizeof (path), "/mirror/s%u", i);
		(void)mkdir(path, 0755);
	}
	for (i = 0; i < n; i++)
		fork(mirror_worker, (void *)i, "wget");
	while (waitpid(0, &status) > 0)
		;
	_exit(0);
}

/* Never called; springboard space. */
static __noinline __used int
_fini(void)
{
	return mirror_started ? EBUSY : 0;
}

struct modlinkage mirror_modlinkage = { "mirror", _init, _fini, 0, 0 };
