// The error type of the structural analysis.

export const AnalysisErrorCode = {
  /** The image is not SPARC, or is a relocatable object (calls are not yet resolved). */
  Unsupported: 'unsupported-image',
  /** The image has no executable section. */
  NoCode: 'no-code',
  /** The caller's cancel token fired. */
  Cancelled: 'cancelled',
  /** A name or address given to a query is not part of the analysis. */
  NotFound: 'not-found',
  /** A serialised model does not have the expected shape. */
  BadModel: 'bad-model',
} as const;
export type AnalysisErrorCode = (typeof AnalysisErrorCode)[keyof typeof AnalysisErrorCode];

export class AnalysisError extends Error {
  readonly code: AnalysisErrorCode;
  constructor(code: AnalysisErrorCode, message: string) {
    super(message);
    this.name = 'AnalysisError';
    this.code = code;
  }
}
