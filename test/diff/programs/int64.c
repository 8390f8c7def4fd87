/* 64-bit arithmetic through the libgcc helpers, and 32-bit edge values. */
#include "rt.h"

static const long long vals[] = {
  0, 1, -1, 2, -2, 7, -7, 0x7fffffffLL, -0x80000000LL, 0xffffffffLL, 0x100000000LL, -0x100000001LL,
  123456789012345LL, -987654321987LL, 0x7fffffffffffffffLL, (long long)0x8000000000000000ULL, 1000000007LL,
};
#define NV (int)(sizeof vals / sizeof vals[0])

static unsigned long long mix(unsigned long long h, unsigned long long v) { return (h ^ v) * 0x100000001b3ULL; }

int main(void) {
  unsigned long long h = 0xcbf29ce484222325ULL;
  for (int i = 0; i < NV; i++) {
    for (int j = 0; j < NV; j++) {
      long long a = vals[i], b = vals[j];
      h = mix(h, (unsigned long long)(a + b));
      h = mix(h, (unsigned long long)(a - b));
      h = mix(h, (unsigned long long)(a * b));
      if (b != 0 && !(a == (long long)0x8000000000000000ULL && b == -1)) {
        h = mix(h, (unsigned long long)(a / b));
        h = mix(h, (unsigned long long)(a % b));
      }
      if (b != 0) {
        h = mix(h, (unsigned long long)a / (unsigned long long)b);
        h = mix(h, (unsigned long long)a % (unsigned long long)b);
      }
      h = mix(h, (unsigned long long)(a < b) | (unsigned long long)((unsigned long long)a < (unsigned long long)b) << 1);
    }
    for (int s = 0; s < 64; s += 7) {
      h = mix(h, (unsigned long long)vals[i] << s);
      h = mix(h, (unsigned long long)(vals[i] >> s));
      h = mix(h, (unsigned long long)vals[i] >> s);
    }
    printf("%2d %20lld %016llx\n", i, vals[i], h);
  }
  /* 32-bit edge values: overflow wraps, signed division, unsigned comparisons. */
  volatile int x = 0x7fffffff, y = -0x7fffffff - 1, z = -1;
  volatile unsigned ux = 0xffffffffu, uy = 0x80000000u;
  printf("%d %d %d %d\n", x + 1, y - 1, x * 2, y * z);
  printf("%d %d %d %d\n", x / 3, y / 3, x % 7, y % 7);
  printf("%u %u %u %u\n", ux / 3, ux % 7, uy >> 31, ux + 1);
  printf("%d %d %d\n", ux > uy, (int)ux < (int)uy, x > y);
  volatile short sh = -12345; volatile signed char sc = -100; volatile unsigned short us = 54321; volatile unsigned char uc = 200;
  printf("%d %d %u %u %d\n", sh, sc, us, uc, sh * sc + us - uc);
  return (int)(h & 0x7f);
}
