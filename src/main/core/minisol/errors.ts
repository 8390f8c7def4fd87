// The typed error of the minisol host side: a code and a message that says what is wrong and what to do.
export class MinisolError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'MinisolError';
    this.code = code;
  }
}
