// Validation of untrusted snippet JSON: every problem is reported at its JSON path.
import type { BinaryOp, CompareOp, Expr, PointKind, Snippet, SnippetIssue, Stmt } from './types.ts';

const BINARY: readonly BinaryOp[] = ['add', 'sub', 'and', 'or', 'xor', 'shl', 'shr', 'sar', 'mul'];
const COMPARE: readonly CompareOp[] = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'ltu', 'leu', 'gtu', 'geu'];
const REGISTER = /^%(g[0-7]|o[0-7]|l[0-7]|i[0-7]|sp|fp|r([0-9]|[12][0-9]|3[01]))$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_.:/@-]{0,127}$/;
/** Deepest expression / statement nesting accepted (keeps the generated code and register needs bounded). */
export const MAX_DEPTH = 12;

export interface ValidateOptions {
  /** The kind of point the snippet goes to; `arg` needs 'entry', `retval` needs 'exit'. */
  readonly point?: PointKind;
  /** Functions `call` may name; absent = no calls allowed. */
  readonly allowedCalls?: ReadonlySet<string>;
}

type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Checker {
  readonly issues: SnippetIssue[] = [];
  private readonly options: ValidateOptions;
  constructor(options: ValidateOptions) {
    this.options = options;
  }

  fail(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  name(v: Json, path: string, what: string): void {
    if (typeof v !== 'string' || !NAME.test(v)) this.fail(path, `${what} must be a name (letters, digits, _ . : / @ -; at most 128 characters)`);
  }

  int32(v: Json, path: string): void {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 32) this.fail(path, 'must be an integer in -2^31..2^32-1');
  }

  expr(e: Json, path: string, depth: number): void {
    if (depth > MAX_DEPTH) return this.fail(path, `expression nested deeper than ${MAX_DEPTH}`);
    if (!isObject(e)) return this.fail(path, 'expression must be an object with an "op"');
    switch (e.op) {
      case 'const': return this.int32(e.value, `${path}.value`);
      case 'global':
        this.name(e.symbol, `${path}.symbol`, 'symbol');
        if (e.offset !== undefined) this.int32(e.offset, `${path}.offset`);
        return;
      case 'arg':
        if (typeof e.index !== 'number' || !Number.isInteger(e.index) || e.index < 0 || e.index > 5) this.fail(`${path}.index`, 'argument index must be 0..5 (arguments in registers)');
        if (this.options.point !== undefined && this.options.point !== 'entry') this.fail(path, `arguments are only known at a function-entry point, not at ${this.options.point} points`);
        return;
      case 'retval':
        if (this.options.point !== undefined && this.options.point !== 'exit') this.fail(path, `the return value is only known at a function-exit point, not at ${this.options.point} points`);
        return;
      case 'reg':
        if (typeof e.name !== 'string' || !REGISTER.test(e.name)) this.fail(`${path}.name`, 'register must be %g0-%g7, %o0-%o7, %l0-%l7, %i0-%i7, %sp, %fp or %r0-%r31');
        return;
      case 'load':
        if (e.size !== 1 && e.size !== 2 && e.size !== 4) this.fail(`${path}.size`, 'load size must be 1, 2 or 4');
        if (e.signed !== undefined && typeof e.signed !== 'boolean') this.fail(`${path}.signed`, 'must be a boolean');
        return this.expr(e.addr, `${path}.addr`, depth + 1);
      case 'binary':
        if (!BINARY.includes(e.kind as BinaryOp)) this.fail(`${path}.kind`, `must be one of ${BINARY.join(', ')}`);
        this.expr(e.left, `${path}.left`, depth + 1);
        return this.expr(e.right, `${path}.right`, depth + 1);
      case 'compare':
        if (!COMPARE.includes(e.kind as CompareOp)) this.fail(`${path}.kind`, `must be one of ${COMPARE.join(', ')}`);
        this.expr(e.left, `${path}.left`, depth + 1);
        return this.expr(e.right, `${path}.right`, depth + 1);
      case 'not': return this.expr(e.operand, `${path}.operand`, depth + 1);
      case 'pid':
      case 'cpu':
        return;
      case 'counter': return this.name(e.counter, `${path}.counter`, 'counter');
      default:
        return this.fail(`${path}.op`, `unknown expression "${String(e.op)}"`);
    }
  }

  stmts(list: Json, path: string, depth: number): void {
    if (!Array.isArray(list)) return this.fail(path, 'must be an array of statements');
    list.forEach((s, i) => this.stmt(s, `${path}[${i}]`, depth));
  }

  stmt(s: Json, path: string, depth: number): void {
    if (depth > MAX_DEPTH) return this.fail(path, `statements nested deeper than ${MAX_DEPTH}`);
    if (!isObject(s)) return this.fail(path, 'statement must be an object with an "op"');
    switch (s.op) {
      case 'if':
        this.expr(s.cond, `${path}.cond`, depth + 1);
        this.stmts(s.then, `${path}.then`, depth + 1);
        if (s.else !== undefined) this.stmts(s.else, `${path}.else`, depth + 1);
        return;
      case 'counterAdd':
        this.name(s.counter, `${path}.counter`, 'counter');
        if (s.value !== undefined) this.expr(s.value, `${path}.value`, depth + 1);
        return;
      case 'timerStart':
      case 'timerStop':
      case 'timerPause':
      case 'timerResume':
        this.name(s.timer, `${path}.timer`, 'timer');
        if (s.clock !== 'virtual' && s.clock !== 'wall') this.fail(`${path}.clock`, 'clock must be "virtual" or "wall"');
        if (s.perThread !== undefined && typeof s.perThread !== 'boolean') this.fail(`${path}.perThread`, 'must be a boolean');
        return;
      case 'trace':
        this.name(s.buffer, `${path}.buffer`, 'buffer');
        if (!Array.isArray(s.values) || s.values.length > 6) return this.fail(`${path}.values`, 'must be an array of at most 6 expressions');
        s.values.forEach((v, i) => this.expr(v, `${path}.values[${i}]`, depth + 1));
        return;
      case 'removeSelf': return;
      case 'assert':
        this.expr(s.cond, `${path}.cond`, depth + 1);
        this.name(s.id, `${path}.id`, 'assertion id');
        if (s.action !== 'record' && s.action !== 'stop') this.fail(`${path}.action`, 'action must be "record" or "stop"');
        return;
      case 'call':
        this.name(s.function, `${path}.function`, 'function');
        if (typeof s.function === 'string' && !(this.options.allowedCalls?.has(s.function) ?? false)) {
          this.fail(`${path}.function`, `"${s.function}" is not on the allow-list of callable kernel functions`);
        }
        if (!Array.isArray(s.args) || s.args.length > 6) return this.fail(`${path}.args`, 'must be an array of at most 6 expressions');
        s.args.forEach((v, i) => this.expr(v, `${path}.args[${i}]`, depth + 1));
        return;
      case 'while':
      case 'for':
      case 'loop':
        return this.fail(`${path}.op`, 'snippets have no loops (they must finish in bounded time)');
      default:
        return this.fail(`${path}.op`, `unknown statement "${String(s.op)}"`);
    }
  }
}

/** Checks untrusted JSON; returns the issues (empty when `value` is a valid Snippet). */
export function validateSnippet(value: unknown, options: ValidateOptions = {}): SnippetIssue[] {
  const c = new Checker(options);
  if (!isObject(value)) {
    c.fail('$', 'snippet must be an object { version: 1, body: [...] }');
    return c.issues;
  }
  if (value.version !== 1) c.fail('$.version', 'version must be 1');
  if (value.name !== undefined && typeof value.name !== 'string') c.fail('$.name', 'must be a string');
  c.stmts(value.body, '$.body', 0);
  return c.issues;
}

/** Narrows `value` to a Snippet, or returns the issues. */
export function parseSnippet(value: unknown, options: ValidateOptions = {}): { snippet: Snippet; issues: [] } | { snippet: null; issues: SnippetIssue[] } {
  const issues = validateSnippet(value, options);
  return issues.length === 0 ? { snippet: value as Snippet, issues: [] } : { snippet: null, issues };
}

/** Walks every expression of a statement list (for analyses such as "does it call anything"). */
export function forEachExpr(body: readonly Stmt[], fn: (e: Expr) => void): void {
  const ex = (e: Expr): void => {
    fn(e);
    if (e.op === 'load') ex(e.addr);
    else if (e.op === 'binary' || e.op === 'compare') {
      ex(e.left);
      ex(e.right);
    } else if (e.op === 'not') ex(e.operand);
  };
  const st = (s: Stmt): void => {
    switch (s.op) {
      case 'if': ex(s.cond); s.then.forEach(st); s.else?.forEach(st); break;
      case 'counterAdd': if (s.value) ex(s.value); break;
      case 'trace': s.values.forEach(ex); break;
      case 'assert': ex(s.cond); break;
      case 'call': s.args.forEach(ex); break;
      default: break;
    }
  };
  body.forEach(st);
}
