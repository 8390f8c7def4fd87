// The typed error every transport carries: a code the UI can branch on and a message for the user.

export const ERROR_CODES = [
  'no-image', 'bad-image', 'not-available', 'no-such-function', 'bad-request', 'unknown-command',
  'machine-error', 'splice-refused', 'busy', 'unauthorized', 'disconnected', 'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class SpringboardError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'SpringboardError';
    this.code = code;
  }
}

/** What an error looks like on the wire. */
export interface WireError {
  readonly code: ErrorCode;
  readonly message: string;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Any thrown value as a wire error; unknown failures become `internal` with their message. */
export function toWireError(error: unknown): WireError {
  if (error instanceof SpringboardError) return { code: error.code, message: error.message };
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (isErrorCode(code)) return { code, message };
  return { code: 'internal', message: `internal error: ${message}` };
}

export function fromWireError(value: unknown): SpringboardError {
  if (typeof value === 'object' && value !== null) {
    const { code, message } = value as { code?: unknown; message?: unknown };
    if (isErrorCode(code) && typeof message === 'string') return new SpringboardError(code, message);
  }
  return new SpringboardError('internal', 'malformed error from the transport');
}
