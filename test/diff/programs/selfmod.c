/* Self-modifying code: the program rewrites an instruction of a function and calls it again. */
#include "rt.h"

extern int patchme(int);
__asm__(
  ".text\n"
  ".global patchme\n"
  ".type patchme, #function\n"
  "patchme:\n"
  "  retl\n"
  "  add %o0, 1, %o0\n"        /* delay slot: the word the program rewrites */
  ".size patchme, .-patchme\n");

int main(void) {
  unsigned *slot = (unsigned *)((char *)patchme + 4);
  int before = 0;
  for (int i = 0; i < 1000; i++) before += patchme(i);
  /* add %o0, 100, %o0 : op=2 rd=8 op3=0 rs1=8 i=1 simm13=100 */
  *slot = 0x90022064u;
  __asm__ volatile("flush %0" : : "r"(slot) : "memory");
  int after = 0;
  for (int i = 0; i < 1000; i++) after += patchme(i);
  /* sub %o0, 5, %o0 */
  *slot = 0x90222005u;
  int third = patchme(10);
  printf("%d %d %d\n", before, after, third);
  return 0;
}
