// Renders every template of the charts under a folder (default: an extracted aws/eks-charts `stable/`) and
// reports how many were analysed without an error, which failed and why, documents left out as unknown,
// and the re-lint time of one template (p95 of repeated lints with the chart cached).
//   node scripts/helm-measure.mjs /tmp/eks/stable [--time path/to/template.yaml]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const engine = createRequire(import.meta.url)(path.join(root, 'dist/engine.js'));
const args = process.argv.slice(2);
const timeAt = args.indexOf('--time');
const timeFile = timeAt >= 0 ? args.splice(timeAt, 2)[1] : undefined;
const dir = path.resolve(args[0] ?? '/tmp/eks/stable');

const templates = [];
const helpers = [];
(function walk(d) {
  for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(d, e.name);
    if (e.isDirectory()) walk(full);
    else if (/[\\/]templates[\\/]/.test(full) && /\.ya?ml$/.test(e.name) && !e.name.startsWith('_')) templates.push(full);
    else if (/[\\/]templates[\\/]/.test(full) && /\.tpl$/.test(e.name)) helpers.push(full);
  }
})(dir);

let ok = 0;
let docs = 0;
let unknownDocs = 0;
const failed = [];
const unknownWhy = [];
for (const t of templates) {
  const file = engine.parseFile(fs.readFileSync(t, 'utf8'), t);
  const r = engine.helm.helmRenderOf(file);
  if (r) {
    docs += file.docs.length;
    unknownDocs += r.unknownDocs.length;
    for (const o of r.unknownSrc) {
      const line = file.text.slice(file.text.lastIndexOf('\n', o) + 1, file.text.indexOf('\n', o) < 0 ? undefined : file.text.indexOf('\n', o)).trim();
      unknownWhy.push(`${path.relative(dir, t)}: ${line}`);
    }
  }
  if (file.kind === 'helm' && !file.errors.length) ok++;
  else failed.push(`${path.relative(dir, t)}: ${file.skipped ?? file.errors.map((e) => e.message).join('; ')}`);
}
console.log(`${ok}/${templates.length} templates analysed without an error (${((100 * ok) / templates.length).toFixed(1)}%)`);
console.log(`${docs} rendered documents, ${unknownDocs} left out as unknown`);
for (const f of failed) console.log(`  failed: ${f}`);
let helpersOk = 0;
for (const h of helpers) {
  try {
    engine.helm.parseTemplate(fs.readFileSync(h, 'utf8'));
    helpersOk++;
  } catch (e) {
    console.log(`  helper failed: ${path.relative(dir, h)}: ${e.message}`);
  }
}
console.log(`${helpersOk}/${helpers.length} helper files (.tpl) parsed`);
if (args.includes('--why') || process.env.WHY) for (const w of unknownWhy) console.log(`  unknown: ${w}`);

if (timeFile) {
  const text = fs.readFileSync(timeFile, 'utf8');
  const times = [];
  for (let i = 0; i < 1050; i++) {
    const t0 = performance.now();
    engine.analyze(text + (i % 2 ? ' ' : ''), timeFile);
    times.push(performance.now() - t0);
  }
  const warm = times.slice(50).sort((a, b) => a - b);
  const q = (p) => warm[Math.floor(warm.length * p)].toFixed(2);
  console.log(`re-lint ${path.basename(timeFile)} (${warm.length} edits, chart cached): median ${q(0.5)} ms, p90 ${q(0.9)} ms, p95 ${q(0.95)} ms, p99 ${q(0.99)} ms`);
}
