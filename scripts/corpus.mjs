// Lints a corpus of real templates and manifests (default: ../shared/corpus) and summarises what it
// found: files per kind, findings per rule, time. Writes the details to corpus-report.json.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { parseFile, lint, WorkspaceIndex, RULES } = require(path.join(root, 'dist/engine.js'));

const dir = path.resolve(process.argv[2] ?? path.join(root, '../shared/corpus'));
if (!fs.existsSync(dir)) {
  console.error(`No corpus at ${dir}: pass a folder of templates.`);
  process.exit(2);
}

function walk(d, out = []) {
  for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(d, e.name);
    if (e.isDirectory()) walk(full, out);
    else if (/\.(ya?ml|json|template)$/i.test(e.name)) out.push(full);
  }
  return out;
}

const started = performance.now();
const files = walk(dir);
const workspace = new WorkspaceIndex();
const parsed = files.map((f) => {
  const p = parseFile(fs.readFileSync(f, 'utf8'), f);
  workspace.update(p);
  return p;
});
const perRule = new Map(RULES.map((r) => [r.meta.id, []]));
const perKind = new Map();
for (const p of parsed) {
  const kind = p.kind ?? `skipped (${p.skipped})`;
  perKind.set(kind, (perKind.get(kind) ?? 0) + 1);
  for (const f of lint(p, { workspace })) {
    const pos = p.lines.position(f.start);
    const list = perRule.get(f.ruleId) ?? [];
    list.push({ file: path.relative(dir, p.uri), line: pos.line + 1, column: pos.character + 1, message: f.message });
    perRule.set(f.ruleId, list);
  }
}
const ms = performance.now() - started;

console.log(`Corpus: ${dir}\n${files.length} files in ${Math.round(ms)} ms (parse + lint, one process)\n`);
console.log('Files per kind:');
for (const [k, n] of [...perKind].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(4)}  ${k}`);
console.log('\nFindings per rule (files):');
for (const [id, list] of [...perRule].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))) {
  console.log(`  ${String(list.length).padStart(4)}  ${id.padEnd(40)} (${new Set(list.map((x) => x.file)).size} files)`);
}
fs.writeFileSync(path.join(root, 'corpus-report.json'), JSON.stringify(Object.fromEntries(perRule), null, 2));
console.log('\nDetails: corpus-report.json');
