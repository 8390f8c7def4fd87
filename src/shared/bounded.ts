// Bounded histories (metric samples, trace records) kept by the Session and by the views.

/** Appends `add` to `list` and keeps its last `keep` items, trimming in chunks (once per 10% overflow, not per item). */
export function keepLast<T>(list: T[], add: readonly T[], keep: number): void {
  list.push(...add);
  if (list.length > keep * 1.1) list.splice(0, list.length - keep);
}
