// Runs the CLI over a corpus of real templates and manifests and summarises what it found: files per kind,
// findings per rule, wall time. Details go to corpus-report.json.
//   npm run corpus [-- <folder>]   (default: ../shared/corpus, the full corpus beside the checkout;
//                                   test/corpus is the curated subset committed for the tests)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { parseFile, RULES, mayClaim } = require(path.join(root, "dist/engine.js"));

const dir = path.resolve(process.argv[2] ?? path.join(root, '../shared/corpus'));
if (!fs.existsSync(dir)) {
  if (process.argv[2]) console.error(`No folder at ${dir}: pass a folder of templates and manifests.`);
  else console.error(`No corpus at ${dir}: the full corpus is not beside this checkout. Pass a folder: npm run corpus -- <folder> (e.g. test/corpus, the curated subset the tests use).`);
  process.exit(2);
}

const started = performance.now();
const run = spawnSync(process.execPath, [path.join(root, 'dist/cli.js'), 'lint', dir, '--format', 'json', '--show-suppressed'], { encoding: 'utf8', maxBuffer: 1 << 28 });
const ms = performance.now() - started;
if (run.status !== 0 && run.status !== 1) {
  console.error(`kb-hints failed (exit ${run.status}): ${run.stderr}`);
  process.exit(2);
}
const findings = JSON.parse(run.stdout);

// Which kind each file was read as (the CLI's own walk, repeated here only to count kinds).
const perKind = new Map();
(function walk(d) {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const full = path.join(d, e.name);
    if (e.isDirectory()) walk(full);
    else if (mayClaim(e.name)) {
      const p = parseFile(fs.readFileSync(full, 'utf8'), full);
      const kind = p.kind ?? `skipped (${p.skipped})`;
      perKind.set(kind, (perKind.get(kind) ?? 0) + 1);
    }
  }
})(dir);

const perRule = new Map(RULES.map((r) => [r.meta.id, []]));
for (const f of findings) {
  const list = perRule.get(f.ruleId) ?? [];
  list.push({ file: path.relative(dir, f.file), line: f.line, column: f.column, message: f.message });
  perRule.set(f.ruleId, list);
}

const files = [...perKind.values()].reduce((a, b) => a + b, 0);
console.log(`Corpus: ${dir}\n${files} files, ${findings.length} findings; the CLI took ${Math.round(ms)} ms (whole process)\n`);
console.log('Files per kind:');
for (const [k, n] of [...perKind].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(4)}  ${k}`);
console.log('\nFindings per rule:');
for (const [id, list] of [...perRule].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))) {
  console.log(`  ${String(list.length).padStart(4)}  ${id.padEnd(40)} (${new Set(list.map((x) => x.file)).size} files)`);
}
fs.writeFileSync(path.join(root, 'corpus-report.json'), JSON.stringify(Object.fromEntries(perRule), null, 2));
console.log('\nDetails: corpus-report.json');
