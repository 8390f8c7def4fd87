/* Benchmark: fannkuch-redux (array permutations: loads, stores, calls, branches). */
#include "rt.h"
static int fannkuch(int n, int *checksum) {
  int perm[16], perm1[16], count[16];
  int maxflips = 0, permcount = 0, r = n;
  *checksum = 0;
  for (int i = 0; i < n; i++) perm1[i] = i;
  for (;;) {
    for (; r != 1; r--) count[r - 1] = r;
    for (int i = 0; i < n; i++) perm[i] = perm1[i];
    int flips = 0, k;
    while ((k = perm[0]) != 0) {
      for (int i = 0, j = k; i < j; i++, j--) { int t = perm[i]; perm[i] = perm[j]; perm[j] = t; }
      flips++;
    }
    if (flips > maxflips) maxflips = flips;
    *checksum += permcount % 2 == 0 ? flips : -flips;
    for (;;) {
      if (r == n) return maxflips;
      int p0 = perm1[0];
      for (int i = 0; i < r; i++) perm1[i] = perm1[i + 1];
      perm1[r] = p0;
      if (--count[r] > 0) break;
      r++;
    }
    permcount++;
  }
}
int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 9;
  int checksum;
  int flips = fannkuch(n, &checksum);
  printf("%d\nPfannkuchen(%d) = %d\n", checksum, n, flips);
  return 0;
}
