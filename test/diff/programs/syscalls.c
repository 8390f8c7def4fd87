/* The Linux personality: argv/envp/auxv, brk, mmap/munmap, uname, readlinkat, getrandom, write/writev. */
#include "rt.h"

struct iovec { void *base; size_t len; };
struct utsname { char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65]; };
#define AT_PAGESZ 6
#define AT_ENTRY 9
#define AT_RANDOM 25

int main(int argc, char **argv) {
  printf("argc %d\n", argc);
  for (int i = 1; i < argc; i++) printf("argv[%d] %s\n", i, argv[i]);
  char **e = __rt_environ;
  while (*e) e++;
  unsigned *aux = (unsigned *)(e + 1);
  unsigned pagesz = 0, have_entry = 0, have_random = 0;
  for (; aux[0] != 0; aux += 2) {
    if (aux[0] == AT_PAGESZ) pagesz = aux[1];
    if (aux[0] == AT_ENTRY) have_entry = aux[1] != 0;
    if (aux[0] == AT_RANDOM) have_random = aux[1] != 0;
  }
  printf("pagesz %u entry %u random %u\n", pagesz, have_entry, have_random);

  char *b0 = (char *)__rt_syscall(SYS_brk, 0, 0, 0, 0, 0, 0);
  char *b1 = (char *)__rt_syscall(SYS_brk, (long)(b0 + 100000), 0, 0, 0, 0, 0);
  printf("brk grew %ld\n", (long)(b1 - b0));
  for (int i = 0; i < 100000; i += 4096) b0[i] = (char)i;
  long sum = 0;
  for (int i = 0; i < 100000; i += 4096) sum += b0[i];
  printf("brk sum %ld\n", sum);

  /* mmap(NULL, 64K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) */
  int *m = (int *)__rt_syscall(SYS_mmap, 0, 65536, 3, 0x22, -1, 0);
  int zero = 1;
  for (int i = 0; i < 16384; i++) if (m[i] != 0) zero = 0;
  for (int i = 0; i < 16384; i++) m[i] = i * 3;
  long msum = 0;
  for (int i = 0; i < 16384; i++) msum += m[i];
  printf("mmap zeroed %d sum %ld munmap %ld\n", zero, msum, __rt_syscall(SYS_munmap, (long)m, 65536, 0, 0, 0, 0));

  struct utsname u;
  long r = __rt_syscall(SYS_uname, (long)&u, 0, 0, 0, 0, 0);
  printf("uname %ld %s %s\n", r, u.sysname, u.machine);

  char path[256];
  long n = __rt_syscall(SYS_readlinkat, -100, (long)"/proc/self/exe", (long)path, sizeof path, 0, 0);
  printf("readlinkat ok %d\n", n > 0);
  n = __rt_syscall(SYS_readlinkat, -100, (long)"/nonexistent/link", (long)path, sizeof path, 0, 0);
  printf("readlinkat missing %ld\n", n);

  unsigned char rnd[32];
  printf("getrandom %ld\n", __rt_syscall(SYS_getrandom, (long)rnd, sizeof rnd, 0, 0, 0, 0));
  printf("set_tid_address positive %d\n", __rt_syscall(SYS_set_tid_address, 0, 0, 0, 0, 0, 0) > 0);
  printf("bad fd write %ld\n", __rt_syscall(SYS_write, 99, (long)"x", 1, 0, 0, 0));
  fflush_stdout();
  struct iovec iov[3] = { { "wri", 3 }, { "tev", 3 }, { "!\n", 2 } };
  printf("writev %ld\n", __rt_syscall(121, 1, (long)iov, 3, 0, 0, 0));
  write(1, "raw write\n", 10);
  return 42;
}
