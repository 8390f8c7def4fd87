/* minisol: basic types and helpers shared by every module (freestanding, ILP32 SPARC V8). */
#ifndef _MINISOL_TYPES_H
#define _MINISOL_TYPES_H

typedef unsigned char uchar_t;
typedef unsigned short ushort_t;
typedef unsigned int uint_t;
typedef unsigned long ulong_t;
typedef unsigned long long u_longlong_t;
typedef long long longlong_t;
typedef unsigned char uint8_t;
typedef unsigned short uint16_t;
typedef unsigned int uint32_t;
typedef unsigned long long uint64_t;
typedef signed char int8_t;
typedef short int16_t;
typedef int int32_t;
typedef long long int64_t;
typedef unsigned int size_t;
typedef int ssize_t;
typedef unsigned int uintptr_t;
typedef int intptr_t;
typedef int pid_t;
typedef long long hrtime_t;
typedef unsigned int u_offset_t;
typedef int off_t;
typedef unsigned int ino_t;
typedef unsigned int daddr_t;
typedef int clock_t;
typedef unsigned int mode_t;
typedef int boolean_t;
typedef char *caddr_t;
typedef unsigned int pgcnt_t;

#define NULL ((void *)0)
#define B_TRUE 1
#define B_FALSE 0

#define offsetof(t, m) __builtin_offsetof(t, m)
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define NELEM(a) (sizeof (a) / sizeof ((a)[0]))
#define roundup(x, y) ((((x) + ((y) - 1)) / (y)) * (y))
#define P2ROUNDUP(x, a) (((x) + ((a) - 1)) & ~((a) - 1))

/* Byte order is big-endian on SPARC: network order is host order. */
#define htons(x) ((uint16_t)(x))
#define ntohs(x) ((uint16_t)(x))
#define htonl(x) ((uint32_t)(x))
#define ntohl(x) ((uint32_t)(x))

#define __unused __attribute__((unused))
#define __noreturn __attribute__((noreturn))
#define __noinline __attribute__((noinline))
#define __used __attribute__((used))
#define __aligned(n) __attribute__((aligned(n)))

typedef __builtin_va_list va_list;
#define va_start(ap, last) __builtin_va_start(ap, last)
#define va_arg(ap, t) __builtin_va_arg(ap, t)
#define va_end(ap) __builtin_va_end(ap)

#endif
