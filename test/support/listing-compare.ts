// Compares two objdump -d listings line by line and groups the disagreements by kind.

export type LineKind = 'file header' | 'section header' | 'symbol label' | 'skipped zeros' | 'instruction' | 'data' | 'blank' | 'other';

export interface Disagreement {
  kind: LineKind;
  /** For instructions: objdump's mnemonic (first word of its text), else the kind again. */
  group: string;
  line: number;
  ours: string | undefined;
  theirs: string | undefined;
}

export interface Comparison {
  /** Lines of objdump's listing that were compared. */
  compared: number;
  disagreements: Disagreement[];
  /** group → count. */
  byGroup: Map<string, number>;
  /** kind → count of objdump's lines of that kind (what was compared). */
  linesByKind: Map<LineKind, number>;
}

export function classify(line: string): LineKind {
  if (line === '') return 'blank';
  if (line.includes(':     file format ')) return 'file header';
  if (line.startsWith('Disassembly of section ')) return 'section header';
  if (/^[0-9a-f]{8} <.*>:$/.test(line)) return 'symbol label';
  if (line === '\t...') return 'skipped zeros';
  if (/^ *[0-9a-f]+:\t(?:[0-9a-f]{2} ){4}\t/.test(line)) return 'instruction';
  if (/^ *[0-9a-f]+:\t/.test(line)) return 'data';
  return 'other';
}

function mnemonic(line: string): string {
  const text = line.split('\t')[2] ?? '';
  return text.split(/\s+/)[0] || '(empty)';
}

/**
 * Exact line-by-line comparison (spaces and tabs included). When the two listings have the same
 * structure this is a plain diff; when lines are missing or extra, the listings are aligned on the
 * next line both have in common (by the address or label it starts with).
 */
export function compareListings(ours: string, theirs: string): Comparison {
  const a = ours.split('\n');
  const b = theirs.split('\n');
  const disagreements: Disagreement[] = [];
  const linesByKind = new Map<LineKind, number>();
  const keyOf = (line: string): string | null => {
    const m = /^ *([0-9a-f]+):\t/.exec(line) ?? /^([0-9a-f]{8}) </.exec(line);
    return m === null ? null : `${classify(line)}:${parseInt(m[1]!, 16)}`;
  };
  let i = 0;
  let j = 0;
  while (j < b.length || i < a.length) {
    const x = a[i];
    const y = b[j];
    if (y !== undefined) linesByKind.set(classify(y), (linesByKind.get(classify(y)) ?? 0) + 1);
    if (x !== undefined && y !== undefined && x === y) {
      i++;
      j++;
      continue;
    }
    // Same kind of line at the same place: a plain disagreement.
    const kx = x === undefined ? null : keyOf(x);
    const ky = y === undefined ? null : keyOf(y);
    if (x !== undefined && y !== undefined && (kx === ky || (kx === null && ky === null && classify(x) === classify(y)))) {
      const kind = classify(y);
      disagreements.push({ kind, group: kind === 'instruction' ? mnemonic(y) : kind, line: j + 1, ours: x, theirs: y });
      i++;
      j++;
      continue;
    }
    // Resynchronise: look a little ahead in each listing for the other's next keyed line.
    const ahead = 200;
    let skipA = -1;
    let skipB = -1;
    if (ky !== null) for (let k = i; k < Math.min(a.length, i + ahead); k++) if (keyOf(a[k]!) === ky) { skipA = k - i; break; }
    if (kx !== null) for (let k = j; k < Math.min(b.length, j + ahead); k++) if (keyOf(b[k]!) === kx) { skipB = k - j; break; }
    if (skipA > 0 && (skipB < 0 || skipA <= skipB)) {
      for (let k = 0; k < skipA; k++) disagreements.push({ kind: classify(a[i + k]!), group: `extra ${classify(a[i + k]!)}`, line: j + 1, ours: a[i + k], theirs: undefined });
      i += skipA;
      if (y !== undefined) linesByKind.set(classify(y), linesByKind.get(classify(y))! - 1);
      continue;
    }
    if (skipB > 0) {
      for (let k = 0; k < skipB; k++) disagreements.push({ kind: classify(b[j + k]!), group: `missing ${classify(b[j + k]!)}`, line: j + k + 1, ours: undefined, theirs: b[j + k] });
      // Count the skipped objdump lines as compared (they were: they are missing from ours).
      for (let k = 1; k < skipB; k++) linesByKind.set(classify(b[j + k]!), (linesByKind.get(classify(b[j + k]!)) ?? 0) + 1);
      j += skipB;
      continue;
    }
    const kind = classify(y ?? x ?? '');
    disagreements.push({ kind, group: x === undefined ? `missing ${kind}` : y === undefined ? `extra ${kind}` : kind === 'instruction' ? mnemonic(y!) : kind, line: j + 1, ours: x, theirs: y });
    if (x !== undefined) i++;
    if (y !== undefined) j++;
  }
  const byGroup = new Map<string, number>();
  for (const d of disagreements) byGroup.set(d.group, (byGroup.get(d.group) ?? 0) + 1);
  return { compared: b.length, disagreements, byGroup, linesByKind };
}

/** A few lines for a test log: counts by group, then the first examples. */
export function summarize(name: string, c: Comparison, examples = 8): string {
  const groups = [...c.byGroup.entries()].sort((x, y) => y[1] - x[1]).map(([g, n]) => `${g}: ${n}`).join(', ');
  const lines = [`${name}: ${c.compared} lines compared, ${c.disagreements.length} disagreements${groups ? ` (${groups})` : ''}`];
  for (const d of c.disagreements.slice(0, examples)) {
    lines.push(`  line ${d.line} [${d.group}]\n    ours:    ${JSON.stringify(d.ours)}\n    objdump: ${JSON.stringify(d.theirs)}`);
  }
  return lines.join('\n');
}
