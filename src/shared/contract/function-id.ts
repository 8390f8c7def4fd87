// Function ids: one unique key per function of an image, the same in the Session, the analysis and the views.
//
// A kernel has several static functions of one name (minisol has about 30, e.g. `_init` in many
// files), so a name is not a key. The id is the plain name when it is unique in the image, else
// `name@module`, else `name@0xADDRESS`; views display the name and add the module where ambiguous.

export interface FunctionKeyed {
  readonly name: string;
  readonly module: string;
  readonly address: number;
}

/** Unique ids for `fns`, in their order. */
export function functionIds(fns: readonly FunctionKeyed[]): string[] {
  const names = new Map<string, number>();
  for (const f of fns) names.set(f.name, (names.get(f.name) ?? 0) + 1);
  const qualified = new Map<string, number>();
  for (const f of fns) if (names.get(f.name)! > 1) qualified.set(`${f.name}@${f.module}`, (qualified.get(`${f.name}@${f.module}`) ?? 0) + 1);
  const taken = new Set<string>();
  return fns.map((f) => {
    let id = f.name;
    if (names.get(f.name)! > 1) {
      id = `${f.name}@${f.module}`;
      if (qualified.get(id)! > 1) id = `${f.name}@0x${(f.address >>> 0).toString(16)}`;
    }
    // Aliases at one address under one name and module: suffix a counter rather than collide.
    for (let n = 2, base = id; taken.has(id); n++) id = `${base}#${n}`;
    taken.add(id);
    return id;
  });
}

/** The name to show for a function: `name (module)` when other functions share the name. */
export function functionLabel(f: { readonly name: string; readonly module: string }, ambiguous: ReadonlySet<string>): string {
  return ambiguous.has(f.name) ? `${f.name} (${f.module})` : f.name;
}

/** The names that more than one function of `fns` carries. */
export function ambiguousNames(fns: readonly { readonly name: string }[]): Set<string> {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const f of fns) (seen.has(f.name) ? twice : seen).add(f.name);
  return twice;
}
