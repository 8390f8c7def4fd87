/* genunix part: memory and string routines (GCC may call memcpy/memset itself), 64-bit division. */

void *
memcpy(void *dst, const void *src, size_t n)
{
	uchar_t *d = dst;
	const uchar_t *s = src;
	if ((((uintptr_t)d | (uintptr_t)s) & 3) == 0) {
		while (n >= 16) {
			uint_t a = ((const uint_t *)s)[0], b = ((const uint_t *)s)[1];
			uint_t c = ((const uint_t *)s)[2], e = ((const uint_t *)s)[3];
			((uint_t *)d)[0] = a;
			((uint_t *)d)[1] = b;
			((uint_t *)d)[2] = c;
			((uint_t *)d)[3] = e;
			d += 16;
			s += 16;
			n -= 16;
		}
		while (n >= 4) {
			*(uint_t *)d = *(const uint_t *)s;
			d += 4;
			s += 4;
			n -= 4;
		}
	}
	while (n-- > 0)
		*d++ = *s++;
	return dst;
}

void *
memmove(void *dst, const void *src, size_t n)
{
	uchar_t *d = dst;
	const uchar_t *s = src;
	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	d += n;
	s += n;
	while (n-- > 0)
		*--d = *--s;
	return dst;
}

void *
memset(void *dst, int c, size_t n)
{
	uchar_t *d = dst;
	if (((uintptr_t)d & 3) == 0) {
		uint_t w = (uchar_t)c;
		w |= w << 8;
		w |= w << 16;
		while (n >= 16) {
			((uint_t *)d)[0] = w;
			((uint_t *)d)[1] = w;
			((uint_t *)d)[2] = w;
			((uint_t *)d)[3] = w;
			d += 16;
			n -= 16;
		}
		while (n >= 4) {
			*(uint_t *)d = w;
			d += 4;
			n -= 4;
		}
	}
	while (n-- > 0)
		*d++ = (uchar_t)c;
	return dst;
}

int
memcmp(const void *a, const void *b, size_t n)
{
	const uchar_t *p = a, *q = b;
	for (; n > 0; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

void
bcopy(const void *src, void *dst, size_t n)
{
	memmove(dst, src, n);
}

void
bzero(void *dst, size_t n)
{
	memset(dst, 0, n);
}

size_t
strlen(const char *s)
{
	const char *p = s;
	while (*p != '\0')
		p++;
	return (size_t)(p - s);
}

int
strcmp(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return (uchar_t)*a - (uchar_t)*b;
}

int
strncmp(const char *a, const char *b, size_t n)
{
	for (; n > 0; n--, a++, b++) {
		if (*a != *b)
			return (uchar_t)*a - (uchar_t)*b;
		if (*a == '\0')
			return 0;
	}
	return 0;
}

char *
strcpy(char *d, const char *s)
{
	char *r = d;
	while ((*d++ = *s++) != '\0')
		;
	return r;
}

size_t
strlcpy(char *d, const char *s, size_t n)
{
	size_t len = strlen(s);
	if (n > 0) {
		size_t k = len < n - 1 ? len : n - 1;
		memcpy(d, s, k);
		d[k] = '\0';
	}
	return len;
}

/* n / d for a 64-bit n and 32-bit d without libgcc: two UDIVs through %y (V8 §B.12). */
uint_t
udiv64_32(uint64_t n, uint_t d, uint64_t *q)
{
	uint_t hi = (uint_t)(n >> 32), lo = (uint_t)n;
	uint_t qhi = hi / d;
	uint_t r = hi - qhi * d;
	uint_t qlo;
	__asm__ volatile("wr %2, 0, %%y\n\tnop\n\tnop\n\tnop\n\tudiv %1, %3, %0"
	    : "=r"(qlo) : "r"(lo), "r"(r), "r"(d));
	*q = ((uint64_t)qhi << 32) | qlo;
	return lo - qlo * d;
}

/* A deterministic generator (xorshift32); each process has its own state seeded from the boot seed. */
uint_t
krand(uint_t *state)
{
	uint_t x = *state;
	if (x == 0)
		x = 0x2545f491;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}
