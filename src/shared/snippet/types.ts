// The snippet IR: typed, JSON-serialisable instrumentation code that the splicer compiles to SPARC.
//
// A snippet is a list of statements without loops. Expressions produce 32-bit values. Named data
// (counters, timers, trace buffers, assertions) is per-CPU instrumentation data the splicer
// allocates; snippets refer to it by name.

/** Binary arithmetic and logic (32-bit, wrapping). `shr` is logical, `sar` arithmetic. */
export type BinaryOp = 'add' | 'sub' | 'and' | 'or' | 'xor' | 'shl' | 'shr' | 'sar' | 'mul';

/** Comparisons (result 0 or 1). `u` suffixes are unsigned. */
export type CompareOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'ltu' | 'leu' | 'gtu' | 'geu';

export type Expr =
  | { readonly op: 'const'; readonly value: number }
  /** The address of a kernel global (plus `offset`). Load from it with `load`. */
  | { readonly op: 'global'; readonly symbol: string; readonly offset?: number }
  /** Argument `index` (0..5) of the function; valid only at a function-entry point. */
  | { readonly op: 'arg'; readonly index: number }
  /** The value the function returns; valid only at a function-exit point. */
  | { readonly op: 'retval' }
  /** A register of the point's window, e.g. '%o0', '%g1', '%l3', '%i0'. */
  | { readonly op: 'reg'; readonly name: string }
  | { readonly op: 'load'; readonly size: 1 | 2 | 4; readonly signed?: boolean; readonly addr: Expr }
  | { readonly op: 'binary'; readonly kind: BinaryOp; readonly left: Expr; readonly right: Expr }
  | { readonly op: 'compare'; readonly kind: CompareOp; readonly left: Expr; readonly right: Expr }
  /** Logical not: 1 when the operand is 0, else 0. */
  | { readonly op: 'not'; readonly operand: Expr }
  /** The current process id (as the target kernel model defines it). */
  | { readonly op: 'pid' }
  /** The index of the CPU running the snippet. */
  | { readonly op: 'cpu' }
  /** This CPU's copy of a counter. */
  | { readonly op: 'counter'; readonly counter: string };

export type Clock = 'virtual' | 'wall';

export type Stmt =
  | { readonly op: 'if'; readonly cond: Expr; readonly then: readonly Stmt[]; readonly else?: readonly Stmt[] }
  /** Adds `value` (default 1) to this CPU's copy of the counter: no atomic read-modify-write needed. */
  | { readonly op: 'counterAdd'; readonly counter: string; readonly value?: Expr }
  | { readonly op: 'timerStart'; readonly timer: string; readonly clock: Clock }
  | { readonly op: 'timerStop'; readonly timer: string; readonly clock: Clock }
  /**
   * Context-switch hooks. Virtual: stop accumulating when this CPU's thread is switched out, restart
   * when one is switched in. With `perThread`, the timer's nesting depth (and, for wall timers, the
   * start time) moves with the thread: saved at switch-out, restored at switch-in.
   */
  | { readonly op: 'timerPause'; readonly timer: string; readonly clock: Clock; readonly perThread?: boolean }
  | { readonly op: 'timerResume'; readonly timer: string; readonly clock: Clock; readonly perThread?: boolean }
  /** Appends a record of the values (at most 6) to this CPU's ring buffer `buffer`. */
  | { readonly op: 'trace'; readonly buffer: string; readonly values: readonly Expr[] }
  /** Marks the snippet for removal (coverage): the splicer removes it at its next poll. */
  | { readonly op: 'removeSelf' }
  /** When `cond` is 0: count the failure (and record the pc) or stop the machine. */
  | { readonly op: 'assert'; readonly cond: Expr; readonly id: string; readonly action: 'record' | 'stop' }
  /** Calls an allow-listed kernel function with up to 6 arguments. */
  | { readonly op: 'call'; readonly function: string; readonly args: readonly Expr[] };

export interface Snippet {
  readonly version: 1;
  /** A name for messages and the operation log. */
  readonly name?: string;
  readonly body: readonly Stmt[];
}

/** What kind of point a snippet is meant for (decides whether `arg` / `retval` are valid). */
export type PointKind = 'entry' | 'exit' | 'block' | 'call-before' | 'call-after' | 'edge' | 'instruction';

/** A problem with a snippet, at a JSON path such as `$.body[2].cond.left`. */
export interface SnippetIssue {
  readonly path: string;
  readonly message: string;
}
