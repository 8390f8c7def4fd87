/* Splice test program: recursion, loops, a switch (jump table), function pointers, leaf functions,
   annulled branches, 64-bit arithmetic through libgcc, structure returns. */
#include "rt.h"
struct pair { int a, b; };
static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static int leaf_mix(int x, int y) { return (x * 31) ^ (y >> 3) ^ (x < y ? 7 : 11); }
static int classify(int v) {
  switch (v & 7) {
    case 0: return v * 3;
    case 1: return v + 100;
    case 2: return v - 7;
    case 3: return v ^ 0x55;
    case 4: return -v;
    case 5: return v << 2;
    case 6: return v >> 1;
    default: return 42;
  }
}
static struct pair make_pair(int a, int b) { struct pair p = { a + b, a - b }; return p; }
static int apply(int (*f)(int, int), int a, int b) { return f(a, b); }
static int addi(int a, int b) { return a + b; }
static int subi(int a, int b) { return a - b; }
static unsigned long long mix64(unsigned long long x) { return (x * 6364136223846793005ULL + 1442695040888963407ULL) % 1000003ULL; }
static int sum_array(const int *a, int n) { int s = 0; for (int i = 0; i < n; i++) if (a[i] & 1) s += a[i]; else s -= a[i] / 2; return s; }
int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 12;
  int arr[64];
  for (int i = 0; i < 64; i++) arr[i] = leaf_mix(i, n);
  int acc = 0;
  for (int i = 0; i < 200; i++) acc += classify(arr[i & 63] + i);
  struct pair p = make_pair(acc, n);
  int (*fs[2])(int, int) = { addi, subi };
  for (int i = 0; i < 50; i++) acc = apply(fs[i & 1], acc, i);
  unsigned long long h = 1;
  for (int i = 0; i < 30; i++) h = mix64(h + (unsigned)i);
  printf("fib(%d)=%d acc=%d pair=%d,%d sum=%d h=%u\n", n, fib(n), acc, p.a, p.b, sum_array(arr, 64), (unsigned)h);
  return 0;
}
