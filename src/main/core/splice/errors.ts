// Typed errors of the splicer: what went wrong, where, and what to do.
export type SpliceErrorCode =
  | 'unsafe-point' //     the point cannot be spliced (traps disabled, window handlers, DCTI couple, …)
  | 'no-point' //         no such function / block / instruction
  | 'bad-snippet' //      the snippet IR is invalid (see `issues`)
  | 'registers' //        not enough free registers and a fresh window cannot help
  | 'reach' //            the patch is out of reach and no springboard is available
  | 'heap' //             patch or data memory exhausted
  | 'verify' //           the verifier rejected the generated code
  | 'state' //            the operation does not fit the splice's state (already removed, …)
  | 'unsupported'; //     a feature the target cannot provide (e.g. pid without a kernel model)

export class SpliceError extends Error {
  readonly code: SpliceErrorCode;
  readonly issues: readonly { path: string; message: string }[];
  constructor(code: SpliceErrorCode, message: string, issues: readonly { path: string; message: string }[] = []) {
    super(message);
    this.name = 'SpliceError';
    this.code = code;
    this.issues = issues;
  }
}
