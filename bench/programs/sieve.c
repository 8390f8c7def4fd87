/* Benchmark: sieve of Eratosthenes, repeated (byte stores, compares, branches). */
#include "rt.h"
#define N 200000
static unsigned char composite[N];
int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 60;
  int count = 0;
  for (int r = 0; r < rounds; r++) {
    memset(composite, 0, sizeof composite);
    count = 0;
    for (int i = 2; i < N; i++) {
      if (composite[i]) continue;
      count++;
      for (int j = i + i; j < N; j += i) composite[j] = 1;
    }
  }
  printf("primes below %d: %d\n", N, count);
  return 0;
}
