/* Sorting: quicksort, merge sort, insertion sort and qsort with comparators through function pointers. */
#include "rt.h"

static uint32_t seed = 12345;
static uint32_t rnd(void) { seed = seed * 1103515245u + 12345u; return seed >> 8; }

static void insertion(int *a, int n) {
  for (int i = 1; i < n; i++) {
    int v = a[i], j = i - 1;
    while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; }
    a[j + 1] = v;
  }
}
static void quick(int *a, int lo, int hi) {
  if (lo >= hi) return;
  int p = a[(lo + hi) / 2], i = lo, j = hi;
  while (i <= j) {
    while (a[i] < p) i++;
    while (a[j] > p) j--;
    if (i <= j) { int t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
  }
  quick(a, lo, j);
  quick(a, i, hi);
}
static void merge_sort(int *a, int *tmp, int n) {
  if (n < 2) return;
  int m = n / 2;
  merge_sort(a, tmp, m);
  merge_sort(a + m, tmp, n - m);
  int i = 0, j = m, k = 0;
  while (i < m && j < n) tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
  while (i < m) tmp[k++] = a[i++];
  while (j < n) tmp[k++] = a[j++];
  memcpy(a, tmp, n * sizeof(int));
}
static int cmp_int(const void *x, const void *y) { int a = *(const int *)x, b = *(const int *)y; return (a > b) - (a < b); }
static int cmp_rev(const void *x, const void *y) { return cmp_int(y, x); }
struct rec { short key; signed char tag; unsigned char pad; int value; };
static int cmp_rec(const void *x, const void *y) {
  const struct rec *a = x, *b = y;
  if (a->key != b->key) return a->key - b->key;
  return a->value - b->value;
}
static uint32_t checksum(const int *a, int n) {
  uint32_t h = 2166136261u;
  for (int i = 0; i < n; i++) { h ^= (uint32_t)a[i]; h *= 16777619u; }
  return h;
}
static int sorted(const int *a, int n, int (*cmp)(const void *, const void *)) {
  for (int i = 1; i < n; i++) if (cmp(&a[i - 1], &a[i]) > 0) return 0;
  return 1;
}

#define N 300
int main(void) {
  static int a[N], b[N], c[N], d[N], tmp[N];
  for (int i = 0; i < N; i++) { a[i] = (int)(rnd() % 2001) - 1000; b[i] = c[i] = d[i] = a[i]; }
  printf("input %08x\n", checksum(a, N));
  insertion(a, N);
  quick(b, 0, N - 1);
  merge_sort(c, tmp, N);
  qsort(d, N, sizeof(int), cmp_int);
  printf("insertion %08x %d\n", checksum(a, N), sorted(a, N, cmp_int));
  printf("quick     %08x %d\n", checksum(b, N), sorted(b, N, cmp_int));
  printf("merge     %08x %d\n", checksum(c, N), sorted(c, N, cmp_int));
  printf("qsort     %08x %d\n", checksum(d, N), sorted(d, N, cmp_int));
  qsort(d, N, sizeof(int), cmp_rev);
  printf("reverse   %08x %d first %d last %d\n", checksum(d, N), sorted(d, N, cmp_rev), d[0], d[N - 1]);
  static struct rec recs[64];
  for (int i = 0; i < 64; i++) { recs[i].key = (short)(rnd() % 7) - 3; recs[i].tag = (signed char)(rnd() & 0xff); recs[i].value = (int)rnd(); }
  qsort(recs, 64, sizeof recs[0], cmp_rec);
  int acc = 0;
  for (int i = 0; i < 64; i++) acc = acc * 31 + recs[i].key * 1000 + recs[i].tag;
  printf("records %d key0 %d tag0 %d\n", acc, recs[0].key, recs[0].tag);
  return sorted(a, N, cmp_int) && sorted(b, N, cmp_int) ? 0 : 1;
}
