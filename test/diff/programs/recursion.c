/* Recursion deep enough to overflow and underflow the register windows many times. */
#include "rt.h"

static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static int ack(int m, int n) {
  if (m == 0) return n + 1;
  if (n == 0) return ack(m - 1, 1);
  return ack(m - 1, ack(m, n - 1));
}
static int moves;
static void hanoi(int n, int from, int to, int via) {
  if (n == 0) return;
  hanoi(n - 1, from, via, to);
  moves++;
  hanoi(n - 1, via, to, from);
}
static int is_odd(int n);
static int is_even(int n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(int n) { return n == 0 ? 0 : is_even(n - 1); }
/* Many arguments: the 7th and later go on the stack. */
static long many(int depth, long a, long b, long c, long d, long e, long f, long g, long h) {
  if (depth == 0) return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h;
  return many(depth - 1, b, c, d, e, f, g, h, a + depth) ^ depth;
}
static unsigned long long deep(int n, unsigned long long acc) {
  volatile char pad[40];
  pad[n % 40] = (char)n;
  if (n == 0) return acc;
  return deep(n - 1, acc * 3 + pad[n % 40]) + 1;
}

int main(void) {
  printf("fib(22) = %d\n", fib(22));
  printf("ack(2,9) = %d\n", ack(2, 9));
  printf("ack(3,4) = %d\n", ack(3, 4));
  hanoi(14, 1, 3, 2);
  printf("hanoi(14) moves = %d\n", moves);
  printf("even(501) = %d odd(777) = %d\n", is_even(501), is_odd(777));
  printf("many = %ld\n", many(50, 1, 2, 3, 4, 5, 6, 7, 8));
  printf("deep = %llu\n", deep(500, 7));
  return fib(10) == 55 ? 0 : 3;
}
