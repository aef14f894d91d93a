// A unified diff of two texts (`--fix-dry-run`), by lines, with three lines of context. Myers' O(ND)
// algorithm on the lines between the common prefix and suffix (fix edits are small and local).

export function unifiedDiff(oldText: string, newText: string, oldName: string, newName: string, context = 3): string {
  if (oldText === newText) return '';
  const a = splitLines(oldText);
  const b = splitLines(newText);
  const ops = diffLines(a, b);
  // Group the operations into hunks: changes closer than 2 x context share one.
  const out: string[] = [`--- ${oldName}`, `+++ ${newName}`];
  let i = 0;
  while (i < ops.length) {
    if (ops[i].op === ' ') {
      i++;
      continue;
    }
    let start = i;
    let ctx = 0;
    while (start > 0 && ops[start - 1].op === ' ' && ctx < context) start--, ctx++;
    let end = i;
    for (;;) {
      while (end < ops.length && ops[end].op !== ' ') end++;
      let run = 0;
      while (end + run < ops.length && ops[end + run].op === ' ') run++;
      if (end + run < ops.length && run <= 2 * context) {
        end += run;
        continue;
      }
      end += Math.min(run, context);
      break;
    }
    const hunk = ops.slice(start, end);
    const aStart = hunk[0].a;
    const bStart = hunk[0].b;
    const aLen = hunk.filter((o) => o.op !== '+').length;
    const bLen = hunk.filter((o) => o.op !== '-').length;
    out.push(`@@ -${range(aStart, aLen)} +${range(bStart, bLen)} @@`);
    for (const o of hunk) {
      const line = o.op === '+' ? b[o.b] : a[o.a];
      out.push(o.op + line.text);
      if (!line.newline) out.push('\\ No newline at end of file');
    }
    i = end;
  }
  return out.join('\n') + '\n';
}

function range(start: number, len: number): string {
  // 1-based; an empty range names the line before it.
  const first = len === 0 ? start : start + 1;
  return len === 1 ? `${first}` : `${first},${len}`;
}

interface Line {
  text: string;
  newline: boolean;
}

function splitLines(text: string): Line[] {
  const out: Line[] = [];
  const re = /\r?\n/g;
  let pos = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ text: text.slice(pos, m.index) + (m[0] === '\r\n' ? '\r' : ''), newline: true });
    pos = m.index + m[0].length;
  }
  if (pos < text.length) out.push({ text: text.slice(pos), newline: false });
  return out;
}

interface Op {
  op: ' ' | '-' | '+';
  /** Index in a (for ' ' and '-') and b (for ' ' and '+'), or where it would be. */
  a: number;
  b: number;
}

function same(x: Line, y: Line): boolean {
  return x.text === y.text && x.newline === y.newline;
}

function diffLines(a: Line[], b: Line[]): Op[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && same(a[pre], b[pre])) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && same(a[a.length - 1 - suf], b[b.length - 1 - suf])) suf++;
  const ops: Op[] = [];
  for (let k = 0; k < pre; k++) ops.push({ op: ' ', a: k, b: k });
  ops.push(...myers(a.slice(pre, a.length - suf), b.slice(pre, b.length - suf), pre));
  for (let k = 0; k < suf; k++) ops.push({ op: ' ', a: a.length - suf + k, b: b.length - suf + k });
  return ops;
}

/** Myers' shortest edit script between a and b (offset: their index in the whole texts). */
function myers(a: Line[], b: Line[], offset: number): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let found = max === 0;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[max + k - 1] < v[max + k + 1]) ? v[max + k + 1] : v[max + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && same(a[x], b[y])) x++, y++;
      v[max + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  trace.push(v.slice());
  // Walk back from (n, m).
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 2; d >= 0 && (x > 0 || y > 0); d--) {
    const vd = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[max + k - 1] < vd[max + k + 1]) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[max + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) ops.push({ op: ' ', a: offset + --x, b: offset + --y });
    if (d === 0) break;
    if (x === prevX) ops.push({ op: '+', a: offset + x, b: offset + --y });
    else ops.push({ op: '-', a: offset + --x, b: offset + y });
  }
  while (x > 0 && y > 0) ops.push({ op: ' ', a: offset + --x, b: offset + --y });
  return ops.reverse();
}
