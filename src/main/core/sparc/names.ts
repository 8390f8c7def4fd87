// Register, ASI, membar and prefetch names as GNU objdump 2.40 prints them (opcodes/sparc-dis.c,
// sparc-opc.c).

/** Integer registers: %g0-7, %o0-7 (%o6 = %sp), %l0-7, %i0-7 (%i6 = %fp). */
export const INT_REGS: readonly string[] = [
  'g0', 'g1', 'g2', 'g3', 'g4', 'g5', 'g6', 'g7',
  'o0', 'o1', 'o2', 'o3', 'o4', 'o5', 'sp', 'o7',
  'l0', 'l1', 'l2', 'l3', 'l4', 'l5', 'l6', 'l7',
  'i0', 'i1', 'i2', 'i3', 'i4', 'i5', 'fp', 'i7',
].map((r) => `%${r}`);

/** V9 privileged registers (rdpr/wrpr), by number; 23 and 31 are special-cased by objdump. */
const PRIV_REGS = ['tpc', 'tnpc', 'tstate', 'tt', 'tick', 'tba', 'pstate', 'tl', 'pil', 'cwp', 'cansave',
  'canrestore', 'cleanwin', 'otherwin', 'wstate', 'fq', 'gl'];

export function privRegName(n: number): string {
  if (n === 31) return '%ver';
  if (n === 23) return '%pmcdper';
  return n < 17 ? `%${PRIV_REGS[n]}` : '%reserved';
}

/** Hyperprivileged registers (rdhpr/wrhpr). */
const HPRIV_REGS = ['hpstate', 'htstate', 'resv2', 'hintp', 'resv4', 'htba', 'hver', 'resv7', 'resv8', 'resv9',
  'resv10', 'resv11', 'resv12', 'resv13', 'resv14', 'resv15', 'resv16', 'resv17', 'resv18', 'resv19', 'resv20',
  'resv21', 'resv22', 'hmcdper', 'hmcddfr', 'resv25', 'resv26', 'hva_mask_nz', 'hstick_offset', 'hstick_enable',
  'resv30', 'hstick_cmpr'];

export const hprivRegName = (n: number): string => `%${HPRIV_REGS[n]}`;

/** V9A ancillary state registers 16..28. */
const ASR_NAMES = ['pcr', 'pic', 'dcr', 'gsr', 'softint_set', 'softint_clear', 'softint', 'tick_cmpr', 'stick',
  'stick_cmpr', 'cfr', 'pause', 'mwait'];

export const v9aAsrName = (n: number): string => (n < 16 || n > 28 ? '%reserved' : `%${ASR_NAMES[n - 16]}`);

/** ASI names: objdump looks them up regardless of the architecture; first entry wins. */
const ASI_LIST: readonly (readonly [number, string])[] = [
  [0x04, '#ASI_N'], [0x0c, '#ASI_N_L'], [0x10, '#ASI_AIUP'], [0x11, '#ASI_AIUS'], [0x18, '#ASI_AIUP_L'],
  [0x19, '#ASI_AIUS_L'], [0x80, '#ASI_P'], [0x81, '#ASI_S'], [0x82, '#ASI_PNF'], [0x83, '#ASI_SNF'],
  [0x88, '#ASI_P_L'], [0x89, '#ASI_S_L'], [0x8a, '#ASI_PNF_L'], [0x8b, '#ASI_SNF_L'],
  [0x14, '#ASI_PHYS_USE_EC'], [0x15, '#ASI_PHYS_BYPASS_EC_E'], [0x16, '#ASI_BLK_AIUP_4V'], [0x17, '#ASI_BLK_AIUS_4V'],
  [0x1c, '#ASI_PHYS_USE_EC_L'], [0x1d, '#ASI_PHYS_BYPASS_EC_E_L'], [0x1e, '#ASI_BLK_AIUP_L_4V'], [0x1f, '#ASI_BLK_AIUS_L_4V'],
  [0x20, '#ASI_SCRATCHPAD'], [0x21, '#ASI_MMU'], [0x23, '#ASI_BLK_INIT_QUAD_LDD_AIUS'], [0x24, '#ASI_NUCLEUS_QUAD_LDD'],
  [0x25, '#ASI_QUEUE'], [0x26, '#ASI_QUAD_LDD_PHYS_4V'], [0x2c, '#ASI_NUCLEUS_QUAD_LDD_L'], [0x30, '#ASI_PCACHE_DATA_STATUS'],
  [0x31, '#ASI_PCACHE_DATA'], [0x32, '#ASI_PCACHE_TAG'], [0x33, '#ASI_PCACHE_SNOOP_TAG'], [0x34, '#ASI_QUAD_LDD_PHYS'],
  [0x38, '#ASI_WCACHE_VALID_BITS'], [0x39, '#ASI_WCACHE_DATA'], [0x3a, '#ASI_WCACHE_TAG'], [0x3b, '#ASI_WCACHE_SNOOP_TAG'],
  [0x3c, '#ASI_QUAD_LDD_PHYS_L'], [0x40, '#ASI_SRAM_FAST_INIT'], [0x41, '#ASI_CORE_AVAILABLE'],
  [0x45, '#ASI_LSU_CONTROL_REG'], [0x46, '#ASI_DCACHE_DATA'], [0x47, '#ASI_DCACHE_TAG'], [0x48, '#ASI_INTR_DISPATCH_STAT'],
  [0x49, '#ASI_INTR_RECEIVE'], [0x4b, '#ASI_ESTATE_ERROR_EN'], [0x4c, '#ASI_AFSR'], [0x4d, '#ASI_AFAR'],
  [0x4e, '#ASI_EC_TAG_DATA'], [0x50, '#ASI_IMMU'], [0x51, '#ASI_IMMU_TSB_8KB_PTR'], [0x52, '#ASI_IMMU_TSB_64KB_PTR'],
  [0x53, '#ASI_ITLB_PROBE'], [0x54, '#ASI_ITLB_DATA_IN'], [0x55, '#ASI_ITLB_DATA_ACCESS'], [0x56, '#ASI_ITLB_TAG_READ'],
  [0x57, '#ASI_IMMU_DEMAP'], [0x58, '#ASI_DMMU'], [0x59, '#ASI_DMMU_TSB_8KB_PTR'], [0x5a, '#ASI_DMMU_TSB_64KB_PTR'],
  [0x5b, '#ASI_DMMU_TSB_DIRECT_PTR'], [0x5c, '#ASI_DTLB_DATA_IN'], [0x5d, '#ASI_DTLB_DATA_ACCESS'],
  [0x5e, '#ASI_DTLB_TAG_READ'], [0x5f, '#ASI_DMMU_DEMAP'], [0x60, '#ASI_IIU_INST_TRAP'], [0x63, '#ASI_INTR_ID'],
  [0x64, '#ASI_CORE_SELECT_COMMIT_NHT'], [0x66, '#ASI_IC_INSTR'], [0x67, '#ASI_IC_TAG'], [0x68, '#ASI_IC_STAG'],
  [0x6f, '#ASI_BRPRED_ARRAY'], [0x70, '#ASI_BLK_AIUP'], [0x71, '#ASI_BLK_AIUS'], [0x72, '#ASI_MCU_CTRL_REG'],
  [0x74, '#ASI_EC_DATA'], [0x75, '#ASI_EC_CTRL'], [0x76, '#ASI_EC_W'], [0x77, '#ASI_INTR_W'], [0x78, '#ASI_BLK_AIUPL'],
  [0x79, '#ASI_BLK_AIUSL'], [0x7e, '#ASI_EC_R'], [0x7f, '#ASI_INTR_R'], [0xc0, '#ASI_PST8_P'], [0xc1, '#ASI_PST8_S'],
  [0xc2, '#ASI_PST16_P'], [0xc3, '#ASI_PST16_S'], [0xc4, '#ASI_PST32_P'], [0xc5, '#ASI_PST32_S'], [0xc8, '#ASI_PST8_PL'],
  [0xc9, '#ASI_PST8_SL'], [0xca, '#ASI_PST16_PL'], [0xcb, '#ASI_PST16_SL'], [0xcc, '#ASI_PST32_PL'],
  [0xcd, '#ASI_PST32_SL'], [0xd0, '#ASI_FL8_P'], [0xd1, '#ASI_FL8_S'], [0xd2, '#ASI_FL16_P'], [0xd3, '#ASI_FL16_S'],
  [0xd8, '#ASI_FL8_PL'], [0xd9, '#ASI_FL8_SL'], [0xda, '#ASI_FL16_PL'], [0xdb, '#ASI_FL16_SL'],
  [0xe0, '#ASI_BLK_COMMIT_P'], [0xe1, '#ASI_BLK_COMMIT_S'], [0xe2, '#ASI_BLK_INIT_QUAD_LDD_P'], [0xf0, '#ASI_BLK_P'],
  [0xf1, '#ASI_BLK_S'], [0xf8, '#ASI_BLK_PL'], [0xf9, '#ASI_BLK_SL'], [0x22, '#ASI_TWINX_AIUP'], [0x27, '#ASI_TWINX_N'],
  [0x2a, '#ASI_TWINX_AIUP_L'], [0x2b, '#ASI_TWINX_AIUS_L'], [0x2e, '#ASI_TWINX_REAL_L'], [0x2f, '#ASI_TWINX_NL'],
  [0xe3, '#ASI_TWINX_S'], [0xea, '#ASI_TWINX_PL'], [0xeb, '#ASI_TWINX_SL'], [0x12, '#ASI_MAIUP'], [0x13, '#ASI_MAIUS'],
  [0x36, '#ASI_AIPN'], [0x3e, '#ASI_AIPN_L'], [0x42, '#ASI_INST_MASK_REG'], [0x43, '#ASI_ERROR_INJECT_REG'],
  [0x4f, '#ASI_HYP_SCRATCHPAD'], [0xb0, '#ASI_PIC'], [0xf2, '#ASI_STBI_PM'], [0xf3, '#ASI_STBI_SM'],
  [0xfa, '#ASI_STBI_PLM'], [0xfb, '#ASI_STBI_SLM'],
];

const ASI_NAMES: readonly string[] = (() => {
  const out: string[] = Array.from({ length: 256 }, (_, k) => `(${k})`);
  const seen = new Set<number>();
  for (const [v, n] of ASI_LIST) {
    if (seen.has(v)) continue;
    seen.add(v);
    out[v] = n;
  }
  return out;
})();

/** The ASI operand as objdump prints it: a #ASI_ name, else "(n)". */
export const asiName = (asi: number): string => ASI_NAMES[asi & 0xff]!;

/** membar mask names, most significant bit first. */
const MEMBAR = ['#Sync', '#MemIssue', '#Lookaside', '#StoreStore', '#LoadStore', '#StoreLoad', '#LoadLoad'];

export function membarText(mask: number): string {
  if (mask === 0) return '0';
  const out: string[] = [];
  for (let k = 0; k < 7; k++) if (mask & (0x40 >>> k)) out.push(MEMBAR[k]!);
  return out.join('|');
}

const PREFETCH: Readonly<Record<number, string>> = {
  0: '#n_reads', 1: '#one_read', 2: '#n_writes', 3: '#one_write', 4: '#page', 16: '#invalidate', 17: '#unified',
  20: '#n_reads_strong', 21: '#one_read_strong', 22: '#n_writes_strong', 23: '#one_write_strong',
};

export const prefetchName = (fcn: number): string => PREFETCH[fcn] ?? String(fcn);
