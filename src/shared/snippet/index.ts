// The snippet IR shared by the engine, plugins and the renderer: types and validation.
export type { BinaryOp, Clock, CompareOp, Expr, PointKind, Snippet, SnippetIssue, Stmt } from './types.ts';
export { MAX_DEPTH, forEachExpr, parseSnippet, validateSnippet, type ValidateOptions } from './validate.ts';
