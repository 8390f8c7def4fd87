/* Switch statements (jump tables and compare chains), function pointers, varargs, struct copies. */
#include "rt.h"

static int dense(int k) {
  switch (k) {
    case 0: return 11; case 1: return 22; case 2: return 33; case 3: return 44; case 4: return 55;
    case 5: return 66; case 6: return 77; case 7: return 88; case 8: return 99; case 9: return 111;
    case 10: return 122; case 11: return 133; default: return -1;
  }
}
static int sparse(int k) {
  switch (k) {
    case -1000: return 1; case 3: return 2; case 77: return 3; case 1024: return 4;
    case 65536: return 5; case 0x7fffffff: return 6; default: return 0;
  }
}
static int add(int a, int b) { return a + b; }
static int sub(int a, int b) { return a - b; }
static int mul(int a, int b) { return a * b; }
static int dvd(int a, int b) { return b ? a / b : 0; }
static int (*const ops[])(int, int) = { add, sub, mul, dvd };

static long long sum(int n, ...) {
  va_list ap;
  va_start(ap, n);
  long long s = 0;
  for (int i = 0; i < n; i++) {
    int kind = va_arg(ap, int);
    if (kind == 0) s += va_arg(ap, int);
    else if (kind == 1) s += va_arg(ap, long long);
    else s += (unsigned char)va_arg(ap, int);
  }
  va_end(ap);
  return s;
}

struct point { int x, y; };
struct shape { char name[12]; struct point pts[5]; short n; unsigned char flags; };
static struct shape make(const char *name, int n) {
  struct shape s;
  memset(&s, 0, sizeof s);
  strcpy(s.name, name);
  s.n = (short)n;
  for (int i = 0; i < n; i++) { s.pts[i].x = i * i - 3; s.pts[i].y = 7 - 2 * i; }
  s.flags = (unsigned char)(0xf0 | n);
  return s;
}
static int area2(struct shape s) {
  int a = 0;
  for (int i = 0; i < s.n; i++) {
    struct point p = s.pts[i], q = s.pts[(i + 1) % s.n];
    a += p.x * q.y - q.x * p.y;
  }
  return a;
}

int main(void) {
  int t = 0;
  for (int k = -2; k < 14; k++) t = t * 3 + dense(k);
  printf("dense %d\n", t);
  static const int keys[] = { -1000, 3, 77, 1024, 65536, 0x7fffffff, 5, -1 };
  for (int i = 0; i < 8; i++) printf("sparse(%d)=%d ", keys[i], sparse(keys[i]));
  printf("\n");
  for (int i = 0; i < 4; i++) printf("op%d: %d %d\n", i, ops[i](1000, 7), ops[i](-9, 4));
  printf("sum %lld\n", sum(5, 0, 17, 1, 0x123456789LL, 2, 300, 0, -5, 1, -1LL));
  struct shape a = make("pentagon", 5), b;
  b = a;
  b.pts[0].x = 100;
  printf("%s %d %d flags %x area %d %d\n", b.name, b.n, a.pts[0].x, b.flags, area2(a), area2(b));
  char buf[64];
  snprintf(buf, sizeof buf, "[%5d|%-5d|%05x|%s|%c]", 42, -42, 0xbeef, "ok", 'z');
  puts(buf);
  return 0;
}
