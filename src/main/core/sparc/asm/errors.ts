// Typed assembler errors: every diagnostic carries a code, a 1-based line and column, and a
// message that says what was expected; assemble() collects all of them before it throws.

/** What went wrong. */
export type AsmErrorCode =
  | 'syntax' //            malformed token, unbalanced bracket, junk after an operand
  | 'unknown-mnemonic' //  no instruction or directive of that name
  | 'mode' //              the instruction exists, but not in the selected mode (e.g. V9 in 'v8')
  | 'operands' //          no form of the instruction takes operands of these kinds
  | 'range' //             a value does not fit its field (immediate, displacement, register number)
  | 'alignment' //         branch target or instruction not on a word boundary
  | 'expression' //        an expression the assembler cannot compute (two symbols, division by 0)
  | 'undefined-symbol' //  a symbol nobody defines (fixed-origin assembly resolves everything)
  | 'duplicate-symbol' //  a label defined twice
  | 'relocation' //        a symbolic value where no relocation type exists (e.g. %lo(x)+4)
  | 'directive' //         bad directive operands
  | 'unsupported'; //      recognised but deliberately not implemented

/** One diagnostic. `all` holds every diagnostic of the run (this one first when thrown). */
export class AsmError extends Error {
  readonly code: AsmErrorCode;
  readonly line: number;
  readonly column: number;
  /** Name of the source (options.fileName), for messages. */
  readonly file: string;
  /** The bare diagnostic without the position prefix. */
  readonly detail: string;
  all: readonly AsmError[];

  constructor(code: AsmErrorCode, detail: string, line: number, column: number, file = '<asm>') {
    super(`${file}:${line}:${column}: ${detail}`);
    this.name = 'AsmError';
    this.code = code;
    this.line = line;
    this.column = column;
    this.file = file;
    this.detail = detail;
    this.all = [this];
  }

  /** The error assemble() throws: the first diagnostic, with every diagnostic in `all` and in the
   * message (one per line). */
  static collect(errors: readonly AsmError[]): AsmError {
    const sorted = [...errors].sort((a, b) => a.line - b.line || a.column - b.column);
    const first = sorted[0]!;
    const e = new AsmError(first.code, first.detail, first.line, first.column, first.file);
    e.all = sorted;
    if (sorted.length > 1) {
      e.message = `${sorted.length} errors:\n${sorted.map((x) => x.message).join('\n')}`;
    }
    return e;
  }
}

/** A source position. */
export interface Pos {
  readonly line: number;
  readonly col: number;
}

/** Where errors go while assembling (the file name is added on report). */
export class Diagnostics {
  readonly list: AsmError[] = [];
  readonly file: string;
  constructor(file: string) {
    this.file = file;
  }
  error(code: AsmErrorCode, detail: string, at: Pos): void {
    this.list.push(new AsmError(code, detail, at.line, at.col, this.file));
  }
}

/** Thrown inside one statement's processing to abandon it; caught by the statement loop. */
export class StatementError extends Error {
  readonly code: AsmErrorCode;
  readonly at: Pos;
  constructor(code: AsmErrorCode, detail: string, at: Pos) {
    super(detail);
    this.code = code;
    this.at = at;
  }
}

/** Throws a StatementError (never returns). */
export function fail(code: AsmErrorCode, detail: string, at: Pos): never {
  throw new StatementError(code, detail, at);
}
