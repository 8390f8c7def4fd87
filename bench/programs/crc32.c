/* Benchmark: table-driven CRC-32 over a buffer, many rounds (loads, shifts, xor, tight loops). */
#include "rt.h"
static uint32_t table[256];
static unsigned char buf[16384];
int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 400;
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  for (unsigned i = 0; i < sizeof buf; i++) buf[i] = (unsigned char)(i * 7 + (i >> 5));
  uint32_t crc = 0;
  for (int r = 0; r < rounds; r++) {
    uint32_t c = ~crc;
    for (unsigned i = 0; i < sizeof buf; i++) c = table[(c ^ buf[i]) & 0xff] ^ (c >> 8);
    crc = ~c;
  }
  printf("crc %08x\n", crc);
  return 0;
}
