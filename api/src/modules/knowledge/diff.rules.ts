/**
 * The difference between two versions of an article, pure: lines first (longest common subsequence), then,
 * for a line replaced by another, the characters that changed inside it (so a reviewer sees that 0.5469 became
 * 0.5470 without reading two whole paragraphs).
 */

export type DiffOp = 'same' | 'add' | 'del';
export interface CharPart {
  op: DiffOp;
  text: string;
}
export interface DiffLine {
  op: DiffOp | 'change';
  /** same / add / del: the line; change: the old line (parts show both). */
  text: string;
  /** For 'change': the characters kept, removed and added, in reading order. */
  parts?: CharPart[];
}

/** Longest common subsequence of two sequences as aligned operations. O(n·m): articles are short. */
export function lcsOps<T>(a: readonly T[], b: readonly T[]): { op: DiffOp; value: T }[] {
  const n = a.length;
  const m = b.length;
  const dp: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) dp[i][j] = a[i] === b[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
  const out: { op: DiffOp; value: T }[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: 'same', value: a[i] });
      i++;
      j++;
    } else if (dp[i + 1][j] >= dp[i][j + 1]) out.push({ op: 'del', value: a[i++] });
    else out.push({ op: 'add', value: b[j++] });
  }
  while (i < n) out.push({ op: 'del', value: a[i++] });
  while (j < m) out.push({ op: 'add', value: b[j++] });
  return out;
}

/** Consecutive parts of one kind joined. */
function joinParts(ops: { op: DiffOp; value: string }[]): CharPart[] {
  const out: CharPart[] = [];
  for (const o of ops) {
    const last = out[out.length - 1];
    if (last && last.op === o.op) last.text += o.value;
    else out.push({ op: o.op, text: o.value });
  }
  return out;
}

export function charDiff(a: string, b: string): CharPart[] {
  return joinParts(lcsOps([...a], [...b]));
}

const MAX_CHAR_DIFF = 600;

/** Line diff; a deleted line followed by an added one becomes a 'change' with a character diff inside. */
export function diffText(oldText: string, newText: string): DiffLine[] {
  const split = (s: string) => (s ? s.replace(/\r\n?/g, '\n').split('\n') : []);
  const ops = lcsOps(split(oldText), split(newText));
  const out: DiffLine[] = [];
  for (let k = 0; k < ops.length; k++) {
    const o = ops[k];
    const next = ops[k + 1];
    if (o.op === 'del' && next?.op === 'add' && o.value.length <= MAX_CHAR_DIFF && next.value.length <= MAX_CHAR_DIFF) {
      out.push({ op: 'change', text: o.value, parts: charDiff(o.value, next.value) });
      k++;
    } else out.push({ op: o.op, text: o.value });
  }
  return out;
}

/** How many lines were added, removed and changed. */
export function diffStats(lines: readonly DiffLine[]) {
  return {
    added: lines.filter((l) => l.op === 'add').length,
    removed: lines.filter((l) => l.op === 'del').length,
    changed: lines.filter((l) => l.op === 'change').length,
  };
}
