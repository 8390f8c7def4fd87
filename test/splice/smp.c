/* Four CPUs run the same call-heavy loop; each writes results the host can check. */
#include "rt.h"
volatile int results[4][64];
volatile unsigned progress[4];
__attribute__((noinline)) int leaf(int x) { return x * x + 1; }
__attribute__((noinline)) int mid(int x) { int s = 0; for (int i = 0; i < 4; i++) s += (i & 1) ? leaf(x + i) : -leaf(x - i); return s; }
__attribute__((noinline)) void worker(int cpu) {
  for (unsigned k = 1;; k++) { results[cpu][k & 63] = mid((int)k); progress[cpu] = k; }
}
int main(void) { worker(0); return 0; }
