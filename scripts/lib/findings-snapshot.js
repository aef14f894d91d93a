// @ts-check
// The findings snapshot of a folder: every finding the engine gives on its files (linted as one workspace),
// one JSON line each: file, rule, exact range, severity, message, data, related locations, suppression and
// the quick fixes offered (titles and a hash of the edited text). Shared by scripts/findings-snapshot.mjs
// (the CLI: diff behaviour before and after a change) and test/unit/corpus.test.js (the golden test over
// test/corpus/). CommonJS so that both the ESM script and the mocha tests can load it.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

/** @typedef {typeof import('../../server/src/index')} Engine */
/** @typedef {{ path: string, text: string }} SnapshotInput */
/**
 * One line of a snapshot (`file` relative to the snapshotted folder, with `/`).
 * @typedef {{ file: string, ruleId: string, messageId: string | null, start: number, end: number, severity: string, message: string, data: unknown, related: unknown, suppressed: unknown, fixes: string[] }} SnapshotEntry
 */

/** The date suppression expiry is judged against, so that a snapshot does not change with the calendar. */
const TODAY = '2026-12-01';

/**
 * The files of `dir` the CLI would lint (names some file kind may claim), sorted by path, depth first.
 * @param {Engine} engine
 * @param {string} dir
 * @returns {string[]}
 */
function listFiles(engine, dir) {
  /** @type {string[]} */
  const files = [];
  (function walk(/** @type {string} */ d) {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (engine.mayClaim(e.name)) files.push(full);
    }
  })(dir);
  return files;
}

/**
 * The snapshot of `dir` as text (one JSON line per finding, a final newline).
 * @param {Engine} engine the bundle, `require('dist/engine.js')`
 * @param {string} dir
 * @returns {string}
 */
function snapshotText(engine, dir) {
  const inputs = listFiles(engine, dir).map((f) => ({ path: f, text: fs.readFileSync(f, 'utf8').replace(/^\uFEFF/, '') }));
  const lines = [];
  for (const entry of snapshotFindings(engine, inputs)) lines.push(JSON.stringify({ ...entry, file: relative(dir, entry.file) }));
  return lines.join('\n') + '\n';
}

/**
 * Every finding on `inputs`, linted as one workspace, with the quick fixes each offers.
 * @param {Engine} e
 * @param {SnapshotInput[]} inputs
 * @returns {SnapshotEntry[]}
 */
function snapshotFindings(e, inputs) {
  const workspace = new e.WorkspaceIndex();
  const parsed = inputs.map((i) => {
    const file = e.parseFile(i.text, i.path);
    workspace.update(file);
    return file;
  });
  /** @type {SnapshotEntry[]} */
  const out = [];
  for (const file of parsed) {
    for (const f of e.lint(file, { workspace, today: TODAY })) {
      const fixes = file.kind ? e.fixesFor(file, f).map((x) => `${x.title} #${hash(e.applyEdits(file.text, x.edits))}`) : [];
      out.push({ file: file.uri, ruleId: f.ruleId, messageId: f.messageId ?? null, start: f.start, end: f.end, severity: f.severity, message: f.message, data: f.data ?? null, related: f.related, suppressed: f.suppressed ?? null, fixes });
    }
  }
  return out;
}

/**
 * A readable difference between two snapshots ('' when equal): the lines gone (`-`) and new (`+`), in
 * order, then for each finding that changed in place (a line gone and one new of the same file and rule)
 * which fields changed.
 * At most `maxLines` lines of the line diff are listed.
 * @param {string} expected
 * @param {string} actual
 * @param {number} [maxLines]
 * @returns {string}
 */
function diffSnapshots(expected, actual, maxLines = 200) {
  if (expected === actual) return '';
  const a = splitLines(expected);
  const b = splitLines(actual);
  const ops = lineDiff(a, b);
  const removed = ops.filter((o) => o.op === '-').map((o) => o.line);
  const added = ops.filter((o) => o.op === '+').map((o) => o.line);
  const out = [`${removed.length} finding line(s) gone, ${added.length} new (- expected, + actual):`];
  const changed = ops.filter((o) => o.op !== ' ');
  for (const o of changed.slice(0, maxLines)) out.push(`${o.op} ${o.line}`);
  if (changed.length > maxLines) out.push(`... and ${changed.length - maxLines} more`);
  // Findings that changed in place: a line gone and a new one of the same file and rule, paired in order.
  /** @type {Map<string, string[]>} */
  const gone = new Map();
  for (const l of removed) gone.set(key(l), [...(gone.get(key(l)) ?? []), l]);
  const changes = [];
  for (const l of added) {
    const before = gone.get(key(l))?.shift();
    if (before === undefined) continue;
    const x = parse(before);
    const y = parse(l);
    if (!x || !y) continue;
    const fields = [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((k) => JSON.stringify(x[k]) !== JSON.stringify(y[k]));
    changes.push(`  ${y.file} ${y.ruleId} (was at ${x.start}-${x.end}):`);
    for (const k of fields) changes.push(`    ${k}: ${JSON.stringify(x[k])}\n    ${' '.repeat(k.length)}  -> ${JSON.stringify(y[k])}`);
  }
  if (changes.length) out.push('', 'Changed in place:', ...changes);
  return out.join('\n');
}

/** @param {string} text */
function splitLines(text) {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * A minimal line diff (longest common subsequence; snapshots are a few thousand lines at most).
 * @param {string[]} a
 * @param {string[]} b
 * @returns {{ op: ' ' | '-' | '+', line: string }[]}
 */
function lineDiff(a, b) {
  // Trim the common head and tail first: a change usually touches a few lines.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  /** @type {{ op: ' ' | '-' | '+', line: string }[]} */
  const ops = a.slice(0, head).map((line) => ({ op: ' ', line }));
  if (x.length * y.length > 25e6) {
    // Too large for the table: everything in between as removed then added.
    for (const line of x) ops.push({ op: '-', line });
    for (const line of y) ops.push({ op: '+', line });
  } else {
    const n = x.length;
    const m = y.length;
    const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && x[i] === y[j]) ops.push({ op: ' ', line: x[i++] }), j++;
      else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) ops.push({ op: '-', line: x[i++] });
      else ops.push({ op: '+', line: y[j++] });
    }
  }
  for (const line of a.slice(a.length - tail)) ops.push({ op: ' ', line });
  return ops;
}

/** @param {string} line @returns {Record<string, any> | undefined} */
function parse(line) {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/** @param {string} line */
function key(line) {
  const e = parse(line);
  return e ? `${e.file}\0${e.ruleId}` : line;
}

/** @param {string} dir @param {string} file */
function relative(dir, file) {
  return path.relative(dir, file).split(path.sep).join('/');
}

/** @param {string} text */
function hash(text) {
  return crypto.createHash('sha1').update(text).digest('hex').slice(0, 10);
}

module.exports = { TODAY, listFiles, snapshotText, snapshotFindings, diffSnapshots };
