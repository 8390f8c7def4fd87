/* Snippet-feature test program: small non-inlined functions with known arguments and results. */
#include "rt.h"
int helper_total;
__attribute__((noinline)) int scale(int x, int y) { return x * 3 + y; }
__attribute__((noinline)) int pick(int x) {
  if (x & 1) return x * 5;
  if (x > 60) return x - 60;
  return x / 2;
}
__attribute__((noinline)) void on_probe(int a, int b) { helper_total += a + b; }
int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 100;
  int s = 0, t = 0;
  for (int i = 0; i < n; i++) {
    s += scale(i, 7);
    t += pick(i);
  }
  printf("s=%d t=%d\n", s, t);
  return 0;
}
