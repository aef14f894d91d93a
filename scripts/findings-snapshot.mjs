// Writes every finding the engine gives on a folder (default: ../shared/corpus) as one JSON line each:
// file, rule, message id, exact range, severity, message, data, related locations, suppression, and the
// quick fixes offered (titles and a hash of the edited text). Two snapshots taken before and after a change
// show, with `diff`, exactly what it changed in behaviour:
//   node scripts/findings-snapshot.mjs [folder] > before.jsonl   (change, rebuild)
//   node scripts/findings-snapshot.mjs [folder] > after.jsonl && diff before.jsonl after.jsonl
// `--check FILE` compares with a stored snapshot and exits 1 on any difference.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const engine = createRequire(import.meta.url)(path.join(root, 'dist/engine.js'));

const args = process.argv.slice(2);
const checkAt = args.indexOf('--check');
const expectedFile = checkAt >= 0 ? args.splice(checkAt, 2)[1] : undefined;
const dir = path.resolve(args[0] ?? path.join(root, '../shared/corpus'));
if (!fs.existsSync(dir)) {
  console.error(`No folder at ${dir}`);
  process.exit(2);
}

const files = [];
(function walk(d) {
  for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(d, e.name);
    if (e.isDirectory()) walk(full);
    else if (/\.(ya?ml|json|template)$/i.test(e.name)) files.push(full);
  }
})(dir);

const lines = [];
const snapshot = engine.snapshotFindings ?? legacySnapshot;
for (const entry of snapshot(engine, files.map((f) => ({ path: f, text: fs.readFileSync(f, 'utf8').replace(/^\uFEFF/, '') })))) {
  lines.push(JSON.stringify({ ...entry, file: path.relative(dir, entry.file) }));
}
const out = lines.join('\n') + '\n';
if (expectedFile) {
  const expected = fs.readFileSync(expectedFile, 'utf8');
  if (expected === out) process.exit(0);
  const a = new Set(expected.split('\n'));
  const b = new Set(out.split('\n'));
  for (const l of a) if (!b.has(l)) console.log(`- ${l}`);
  for (const l of b) if (!a.has(l)) console.log(`+ ${l}`);
  process.exit(1);
}
process.stdout.write(out);

/** The engine as it was before `snapshotFindings` existed (kept so a snapshot of the old main can be taken). */
function legacySnapshot(e, inputs) {
  const workspace = new e.WorkspaceIndex();
  const parsed = inputs.map((i) => {
    const file = e.parseFile(i.text, i.path);
    workspace.update(file);
    return file;
  });
  const out = [];
  for (const file of parsed) {
    for (const f of e.lint(file, { rules: e.RULES, workspace, today: '2026-12-01' })) {
      const fixes = file.kind ? e.fixesFor(file, f).map((x) => `${x.title} #${hash(e.applyEdits(file.text, x.edits))}`) : [];
      out.push({ file: file.uri, ruleId: f.ruleId, start: f.start, end: f.end, severity: f.severity, message: f.message, data: f.data ?? null, related: f.related, suppressed: f.suppressed ?? null, fixes });
    }
  }
  return out;
}

function hash(text) {
  return crypto.createHash('sha1').update(text).digest('hex').slice(0, 10);
}
