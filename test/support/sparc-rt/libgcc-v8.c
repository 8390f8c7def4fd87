/* 64-bit integer helpers that GCC calls on 32-bit SPARC V8 (Debian's lib32 libgcc is V8+, which qemu-sparc and our V8 machine reject). */
typedef unsigned int u32;
typedef int s32;
typedef unsigned long long u64;
typedef long long s64;
typedef union { u64 all; struct { u32 high, low; } s; } dw; /* big-endian halves */

u64 __ashldi3(u64 a, int b) {
  dw u = {a}, r;
  if (b == 0) return a;
  if (b >= 32) { r.s.low = 0; r.s.high = u.s.low << (b - 32); }
  else { r.s.low = u.s.low << b; r.s.high = (u.s.high << b) | (u.s.low >> (32 - b)); }
  return r.all;
}
u64 __lshrdi3(u64 a, int b) {
  dw u = {a}, r;
  if (b == 0) return a;
  if (b >= 32) { r.s.high = 0; r.s.low = u.s.high >> (b - 32); }
  else { r.s.high = u.s.high >> b; r.s.low = (u.s.low >> b) | (u.s.high << (32 - b)); }
  return r.all;
}
s64 __ashrdi3(s64 a, int b) {
  dw u = {(u64)a}, r;
  if (b == 0) return a;
  if (b >= 32) { r.s.high = (u32)((s32)u.s.high >> 31); r.s.low = (u32)((s32)u.s.high >> (b - 32)); }
  else { r.s.high = (u32)((s32)u.s.high >> b); r.s.low = (u.s.low >> b) | (u.s.high << (32 - b)); }
  return (s64)r.all;
}
u64 __muldi3(u64 a, u64 b) {
  dw x = {a}, y = {b}, r;
  r.all = (u64)x.s.low * y.s.low; /* umul: full 32x32->64 */
  r.s.high += x.s.high * y.s.low + x.s.low * y.s.high;
  return r.all;
}
int __cmpdi2(s64 a, s64 b) { return a < b ? 0 : a > b ? 2 : 1; }
int __ucmpdi2(u64 a, u64 b) { return a < b ? 0 : a > b ? 2 : 1; }

static int clz64(u64 v) {
  dw u = {v};
  int n = 0;
  u32 w = u.s.high;
  if (w == 0) { n = 32; w = u.s.low; }
  if (w == 0) return 64;
  while (!(w & 0x80000000u)) { w <<= 1; n++; }
  return n;
}
u64 __udivmoddi4(u64 n, u64 d, u64 *rem) {
  if (d == 0) { volatile u32 z = 0; return 1u / z; } /* traps like the hardware would */
  dw nn = {n}, dd = {d};
  if (nn.s.high == 0 && dd.s.high == 0) {
    if (rem) *rem = nn.s.low % dd.s.low;
    return nn.s.low / dd.s.low;
  }
  if (n < d) { if (rem) *rem = n; return 0; }
  int shift = clz64(d) - clz64(n);
  u64 q = 0;
  dw dsh;
  dsh.all = d;
  /* shift d left by `shift` one bit at a time (constant shifts inline, no recursion into __ashldi3) */
  for (int i = 0; i < shift; i++) dsh.all = dsh.all + dsh.all;
  for (int i = 0; i <= shift; i++) {
    q = q + q;
    if (n >= dsh.all) { n -= dsh.all; q |= 1; }
    dw t = dsh;
    dsh.s.low = (t.s.low >> 1) | (t.s.high << 31);
    dsh.s.high = t.s.high >> 1;
  }
  if (rem) *rem = n;
  return q;
}
u64 __udivdi3(u64 a, u64 b) { return __udivmoddi4(a, b, 0); }
u64 __umoddi3(u64 a, u64 b) { u64 r; __udivmoddi4(a, b, &r); return r; }
s64 __divdi3(s64 a, s64 b) {
  int neg = 0;
  u64 ua = (u64)a, ub = (u64)b;
  if (a < 0) { ua = 0 - ua; neg = !neg; }
  if (b < 0) { ub = 0 - ub; neg = !neg; }
  u64 q = __udivmoddi4(ua, ub, 0);
  return (s64)(neg ? 0 - q : q);
}
s64 __moddi3(s64 a, s64 b) {
  u64 ua = (u64)a, ub = (u64)b, r;
  if (a < 0) ua = 0 - ua;
  if (b < 0) ub = 0 - ub;
  __udivmoddi4(ua, ub, &r);
  return (s64)(a < 0 ? 0 - r : r);
}
