/* Inline-assembly edge cases: condition codes, Y, mulscc, division overflow, tagged ops, atomics, windows. */
#include "rt.h"

static unsigned icc_of(unsigned a, unsigned b, int op) {
  unsigned r, c = 0;
  /* Capture NZVC through branches (user mode cannot read %psr). */
#define CAPTURE \
    "mov 0, %1\n" \
    "bne 1f\n nop\n or %1, 4, %1\n" \
    "1: bpos 2f\n nop\n or %1, 8, %1\n" \
    "2: bvc 3f\n nop\n or %1, 2, %1\n" \
    "3: bcc 4f\n nop\n or %1, 1, %1\n4:\n"
  switch (op) {
    case 0: __asm__ volatile("addcc %2, %3, %0\n" CAPTURE : "=&r"(r), "=&r"(c) : "r"(a), "r"(b) : "cc"); break;
    case 1: __asm__ volatile("subcc %2, %3, %0\n" CAPTURE : "=&r"(r), "=&r"(c) : "r"(a), "r"(b) : "cc"); break;
    case 2: __asm__ volatile("subcc %%g0, 1, %%g0\naddxcc %2, %3, %0\n" CAPTURE : "=&r"(r), "=&r"(c) : "r"(a), "r"(b) : "cc"); break;
    case 3: __asm__ volatile("subcc %%g0, 1, %%g0\nsubxcc %2, %3, %0\n" CAPTURE : "=&r"(r), "=&r"(c) : "r"(a), "r"(b) : "cc"); break;
    case 4: __asm__ volatile("taddcc %2, %3, %0\n" CAPTURE : "=&r"(r), "=&r"(c) : "r"(a), "r"(b) : "cc"); break;
    case 5: __asm__ volatile("tsubcc %2, %3, %0\n" CAPTURE : "=&r"(r), "=&r"(c) : "r"(a), "r"(b) : "cc"); break;
    case 6: __asm__ volatile("andcc %2, %3, %0\n" CAPTURE : "=&r"(r), "=&r"(c) : "r"(a), "r"(b) : "cc"); break;
    case 7: __asm__ volatile("xnorcc %2, %3, %0\n" CAPTURE : "=&r"(r), "=&r"(c) : "r"(a), "r"(b) : "cc"); break;
    case 8: __asm__ volatile("umulcc %2, %3, %0\n" CAPTURE : "=&r"(r), "=&r"(c) : "r"(a), "r"(b) : "cc"); break;
    case 9: __asm__ volatile("smulcc %2, %3, %0\n" CAPTURE : "=&r"(r), "=&r"(c) : "r"(a), "r"(b) : "cc"); break;
    default: __asm__ volatile("orncc %2, %3, %0\n" CAPTURE : "=&r"(r), "=&r"(c) : "r"(a), "r"(b) : "cc"); break;
  }
  return r * 16 + c;
}

static void divs(unsigned y, unsigned a, unsigned b) {
  unsigned q1, q2, c1 = 0, c2 = 0;
  __asm__ volatile("wr %4, 0, %%y\n nop\n nop\n nop\n udivcc %2, %3, %0\n" CAPTURE : "=&r"(q1), "=&r"(c1) : "r"(a), "r"(b), "r"(y) : "cc");
  __asm__ volatile("wr %4, 0, %%y\n nop\n nop\n nop\n sdivcc %2, %3, %0\n" CAPTURE : "=&r"(q2), "=&r"(c2) : "r"(a), "r"(b), "r"(y) : "cc");
  printf("div y=%08x a=%08x b=%08x: u %08x/%x s %08x/%x\n", y, a, b, q1, c1, q2, c2);
}

/* 32 mulscc steps: the V8 manual's multiply without umul. */
static unsigned long long mulscc_mul(unsigned a, unsigned b) {
  unsigned lo, hi;
  __asm__ volatile(
    "wr %2, 0, %%y\n nop\n nop\n nop\n"
    "andcc %%g0, %%g0, %%o5\n"
    ".rept 32\n mulscc %%o5, %3, %%o5\n .endr\n"
    "mulscc %%o5, %%g0, %%o5\n"
    "rd %%y, %0\n mov %%o5, %1\n"
    : "=&r"(lo), "=&r"(hi) : "r"(a), "r"(b) : "o5", "cc");
  /* Signed correction as in the V8 manual: the loop computed a*b treating b as signed. */
  return ((unsigned long long)hi << 32) | lo;
}

static int depth_sum(int n) {
  int r;
  if (n == 0) return 0;
  __asm__ volatile("" ::: "memory");
  r = n + depth_sum(n - 1);
  return r;
}

int main(void) {
  static const unsigned v[] = { 0, 1, 2, 3, 0x7fffffff, 0x80000000, 0xffffffff, 0x80000001, 0x12345678, 0xfffffffe, 0x40000000, 4 };
  unsigned h = 0;
  for (int op = 0; op < 11; op++) {
    for (unsigned i = 0; i < sizeof v / sizeof v[0]; i++) {
      for (unsigned j = 0; j < sizeof v / sizeof v[0]; j++) h = h * 31 + icc_of(v[i], v[j], op);
    }
    printf("op %d hash %08x sample %08x\n", op, h, icc_of(0x7fffffff, 1, op));
  }
  divs(0, 100, 7);
  divs(0, 0xffffffff, 1);
  divs(1, 0, 2);
  divs(1, 0, 1);
  divs(0xffffffff, 0xfffffff9, 2);
  divs(0xffffffff, 0x80000000, 0xffffffff);
  divs(0, 0x80000000, 0xffffffff);
  divs(0x7fffffff, 0xffffffff, 0x7fffffff);
  divs(0x12345, 0x6789abcd, 0x10000);
  divs(0xfffffffe, 0, 3);
  printf("mulscc %016llx %016llx\n", mulscc_mul(123456789, 987654321), mulscc_mul(0xffffffff, 0xffffffff));
  unsigned y;
  unsigned r;
  __asm__ volatile("umul %2, %3, %0\n rd %%y, %1" : "=r"(r), "=r"(y) : "r"(0xfffffffe), "r"(0xfffffff0));
  printf("umul %08x %08x\n", y, r);
  __asm__ volatile("smul %2, %3, %0\n rd %%y, %1" : "=r"(r), "=r"(y) : "r"(-5), "r"(100000));
  printf("smul %08x %08x\n", y, r);
  /* Shifts by register use only the low five bits. */
  for (int s = 0; s < 70; s += 11) {
    unsigned a, b, c;
    __asm__("sll %3, %4, %0\n srl %3, %4, %1\n sra %3, %4, %2" : "=&r"(a), "=&r"(b), "=&r"(c) : "r"(0x87654321), "r"(s));
    printf("shift %d: %08x %08x %08x\n", s, a, b, c);
  }
  /* ldstub and swap. */
  static volatile unsigned char lock[4] = { 0, 1, 2, 3 };
  static volatile unsigned word = 0xdeadbeef;
  unsigned old;
  __asm__ volatile("ldstub [%1], %0" : "=r"(old) : "r"(&lock[2]) : "memory");
  printf("ldstub %u now %u %u\n", old, lock[2], lock[3]);
  unsigned nv = 0x01020304;
  __asm__ volatile("swap [%2], %0" : "=r"(nv) : "0"(nv), "r"(&word) : "memory");
  printf("swap %08x now %08x\n", nv, word);
  /* ldd/std pairs and sign-extending loads. */
  static unsigned long long pair = 0x8899aabbccddeeffULL;
  unsigned long long copy;
  __asm__ volatile("ldd [%1], %%o4\n std %%o4, [%0]" : : "r"(&copy), "r"(&pair) : "o4", "o5", "memory");
  static const signed char sb[4] = { -1, 127, -128, 5 };
  static const short sh[2] = { -2, 32767 };
  printf("ldd %016llx sb %d %d %d sh %d %d\n", copy, sb[0], sb[2], sb[1], sh[0], sh[1]);
  /* Deep recursion under flushes: ta 3 spills every window to the stack. */
  __asm__ volatile("ta 3" ::: "memory");
  printf("depth %d\n", depth_sum(300));
  /* Annulled branches: the delay slot runs only when the branch is taken. */
  unsigned t1 = 0, t2 = 0;
  __asm__ volatile("cmp %%g0, 0\n be,a 1f\n add %0, 1, %0\n add %0, 10, %0\n1:\n" : "+r"(t1) : : "cc");
  __asm__ volatile("cmp %%g0, 1\n be,a 1f\n add %0, 1, %0\n add %0, 10, %0\n1:\n" : "+r"(t2) : : "cc");
  unsigned t3 = 0, t4 = 0;
  __asm__ volatile("ba,a 1f\n add %0, 1, %0\n add %0, 10, %0\n1:\n" : "+r"(t3));
  __asm__ volatile("bn,a 1f\n add %0, 1, %0\n add %0, 10, %0\n1:\n" : "+r"(t4));
  printf("annul %u %u %u %u\n", t1, t2, t3, t4);
  /* A DCTI couple: a ba whose delay slot is another ba: one instruction at the first target runs. */
  unsigned d = 0;
  __asm__ volatile(
    "ba 1f\n ba 2f\n nop\n"
    "1: add %0, 1, %0\n"
    "   add %0, 100, %0\n"
    "2: add %0, 1000, %0\n" : "+r"(d));
  printf("couple %u\n", d);
  return (int)(h & 0xff);
}
