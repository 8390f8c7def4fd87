// Register maps of the minisol devices; mirrors guest/minisol/include/devices.h (a test compares them).

export const CONS_BASE = 0xff000000;
export const SYSCTL_BASE = 0xff001000;
export const CLOCK_BASE = 0xff002000;
export const DISK_BASE = 0xff003000;
export const NIC_BASE = 0xff004000;
export const DEVICE_SPAN = 0x100;
/** RAM is [0, RAM_TOP); the devices live above it. */
export const RAM_TOP = 0xff000000;

export const CONS = { DATA: 0x00, STATUS: 0x04, FLUSH: 0x08 } as const;

export const SC = {
  NCPUS: 0x00, HALT: 0x04, START_PC: 0x08, START_CPU: 0x0c, IPI_SET: 0x10, IPI_CLEAR: 0x14,
  SHUTDOWN: 0x18, TIME_LO: 0x1c, TIME_HI: 0x20, HZ: 0x24, IDLE: 0x28,
} as const;

export const CLK = {
  CTRL: 0x00, PERIOD: 0x04, ACK: 0x08, TICK_ACK: 0x0c, COUNT: 0x10, MISSED: 0x14, TARGET: 0x18,
  CTRL_SYSCLK: 0x1, CTRL_TICK: 0x2,
} as const;

export const SD = {
  CMD: 0x00, BLKNO: 0x04, NSECT: 0x08, DMA: 0x0c, STATUS: 0x10, CAPACITY: 0x14, TAG: 0x18,
  GEOM: 0x1c, INTR_TARGET: 0x20, DONE_TAG: 0x24, LATENCY: 0x28,
  CMD_READ: 1, CMD_WRITE: 2, ST_BUSY: 0x1, ST_DONE: 0x2, ST_ERROR: 0x4, SECTOR: 512,
} as const;

export const HME = {
  CTRL: 0x00, STATUS: 0x04, RX_RING: 0x08, RX_SIZE: 0x0c, TX_RING: 0x10, TX_SIZE: 0x14,
  TX_KICK: 0x18, RX_INDEX: 0x1c, TX_INDEX: 0x20, MAC_HI: 0x24, MAC_LO: 0x28, INTR_TARGET: 0x2c,
  RX_DROPS: 0x30,
  CTRL_RX: 0x1, CTRL_TX: 0x2, CTRL_INTR: 0x4, ST_RX: 0x1, ST_TX: 0x2, ST_DROP: 0x4,
} as const;

/** NIC descriptors: 16 bytes in guest memory. */
export const HMED = { FLAGS: 0, ADDR: 4, SIZE: 8, SIZEOF: 16, OWN: 0x80000000, ERR: 0x40000000, LEN: 0x0000ffff } as const;

/** Interrupt levels (sun4m-like), as the guest's machdep.h assigns them. */
export const IPL = { DISK: 4, NET: 6, CLOCK: 10, POKE: 13, TICK: 14 } as const;
