/* Benchmark: call-heavy code (recursion, register windows, 64-bit arithmetic through libgcc). */
#include "rt.h"
static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static unsigned long long collatz_steps(unsigned long long n) {
  unsigned long long s = 0;
  while (n != 1) { n = (n & 1) ? 3 * n + 1 : n / 2; s++; }
  return s;
}
int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 27;
  unsigned long long total = 0;
  for (unsigned long long i = 1; i < 30000; i++) total += collatz_steps(i);
  printf("fib(%d) = %d collatz %llu\n", n, fib(n), total);
  return 0;
}
