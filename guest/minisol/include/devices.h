/*
 * minisol: register maps of the machine's devices (the TypeScript devices in src/main/core/machine/devices mirror these;
 * test/minisol/headers.test.ts checks that they agree). All registers are 32-bit, big-endian.
 */
#ifndef _MINISOL_DEVICES_H
#define _MINISOL_DEVICES_H

#define CONS_BASE       0xff000000
#define SYSCTL_BASE     0xff001000
#define CLOCK_BASE      0xff002000
#define DISK_BASE       0xff003000
#define NIC_BASE        0xff004000
#define DEVICE_SPAN     0x100

/* console: a line printer to the host's log */
#define CONS_DATA       0x00    /* W: one byte of output; a newline ends the line */
#define CONS_STATUS     0x04    /* R: 1 = ready */
#define CONS_FLUSH      0x08    /* W: emit a partial line */

/* sysctl: CPUs, inter-processor interrupts, halting, the host's shutdown request */
#define SC_NCPUS        0x00    /* R: CPUs in the machine */
#define SC_HALT         0x04    /* W: halt code (0 clean shutdown, 1 panic); then the CPU enters error mode */
#define SC_START_PC     0x08    /* RW: where SC_START_CPU starts a CPU */
#define SC_START_CPU    0x0c    /* W: CPU index to start at SC_START_PC (supervisor, traps off) */
#define SC_IPI_SET      0x10    /* W: CPU index: raise level 13 (poke) on it */
#define SC_IPI_CLEAR    0x14    /* W: CPU index: clear its level 13 */
#define SC_SHUTDOWN     0x18    /* R: nonzero once the host asked for a clean shutdown */
#define SC_TIME_LO      0x1c    /* R: virtual time (CPU 0 cycles), low word; latches the high word */
#define SC_TIME_HI      0x20    /* R: high word latched by SC_TIME_LO */
#define SC_HZ           0x24    /* R: virtual cycles per second */
#define SC_IDLE         0x28    /* W: CPU index: wait for an interrupt, unless one was raised for
                                   this CPU since its last SC_IDLE (an event flag, like WFE) */

/* clock: a level-10 system clock on one CPU and a level-14 tick on every CPU */
#define CLK_CTRL        0x00    /* RW: bit0 system clock on, bit1 per-CPU tick on */
#define CLK_PERIOD      0x04    /* RW: cycles between ticks */
#define CLK_ACK         0x08    /* W: acknowledge (clear) the level-10 interrupt */
#define CLK_TICK_ACK    0x0c    /* W: CPU index: clear that CPU's level-14 interrupt */
#define CLK_COUNT       0x10    /* R: system clock ticks so far */
#define CLK_MISSED      0x14    /* R: ticks raised while the previous one was still pending */
#define CLK_TARGET      0x18    /* RW: CPU that takes the level-10 system clock */
#define CLK_CTRL_SYSCLK 0x1
#define CLK_CTRL_TICK   0x2

/* disk (sd): one command at a time, DMA, completion interrupt at level 4 */
#define SD_CMD          0x00    /* W: 1 read, 2 write: starts a command with the registers below */
#define SD_BLKNO        0x04    /* RW: first 512-byte sector */
#define SD_NSECT        0x08    /* RW: sector count */
#define SD_DMA          0x0c    /* RW: physical address of the buffer */
#define SD_STATUS       0x10    /* R: bit0 busy, bit1 done, bit2 error; W: 1 bits clear done/error */
#define SD_CAPACITY     0x14    /* R: sectors */
#define SD_TAG          0x18    /* RW: echoed in SD_DONE_TAG */
#define SD_GEOM         0x1c    /* R: cylinders<<16 | heads<<8 | sectors per track */
#define SD_INTR_TARGET  0x20    /* RW: CPU that takes the interrupt */
#define SD_DONE_TAG     0x24    /* R: tag of the completed command */
#define SD_LATENCY      0x28    /* R: cycles the last command took (seek + rotation + transfer) */
#define SD_CMD_READ     1
#define SD_CMD_WRITE    2
#define SD_ST_BUSY      0x1
#define SD_ST_DONE      0x2
#define SD_ST_ERROR     0x4
#define SD_SECTOR       512

/* NIC (hme): receive and transmit descriptor rings in memory, interrupt at level 6 */
#define HME_CTRL        0x00    /* RW: bit0 RX on, bit1 TX on, bit2 interrupts on */
#define HME_STATUS      0x04    /* R: bit0 RX frame, bit1 TX done, bit2 RX dropped; W: 1 bits clear */
#define HME_RX_RING     0x08    /* RW: physical address of the RX ring */
#define HME_RX_SIZE     0x0c    /* RW: RX descriptors (a power of two) */
#define HME_TX_RING     0x10    /* RW */
#define HME_TX_SIZE     0x14    /* RW */
#define HME_TX_KICK     0x18    /* W: the device scans the TX ring for descriptors it owns */
#define HME_RX_INDEX    0x1c    /* R: next RX descriptor the device fills */
#define HME_TX_INDEX    0x20    /* R: next TX descriptor the device reads */
#define HME_MAC_HI      0x24    /* R: station address, upper 16 bits */
#define HME_MAC_LO      0x28    /* R: lower 32 bits */
#define HME_INTR_TARGET 0x2c    /* RW: CPU that takes the interrupt */
#define HME_RX_DROPS    0x30    /* R: frames dropped for want of a descriptor */
#define HME_CTRL_RX     0x1
#define HME_CTRL_TX     0x2
#define HME_CTRL_INTR   0x4
#define HME_ST_RX       0x1
#define HME_ST_TX       0x2
#define HME_ST_DROP     0x4
/* descriptor: 16 bytes */
#define HMED_FLAGS      0       /* bit31 OWN (device owns), bit30 error, bits 15..0 length */
#define HMED_ADDR       4
#define HMED_SIZE       8
#define HMED_SIZEOF     16
#define HMED_OWN        0x80000000
#define HMED_ERR        0x40000000
#define HMED_LEN        0x0000ffff

#endif
