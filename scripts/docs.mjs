// Generates the rule pages (docs/rules/) and the README's rule and topic tables from rule metadata
// and KB front matter, so nothing is written twice. `--check` fails when a generated file is stale.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2, hint: 3 };

/** Every generated file: path (relative to the repo) -> content. */
export function generate() {
  const engine = require(path.join(root, 'dist/engine.js'));
  const out = new Map();
  for (const r of engine.RULES) out.set(`docs/rules/${r.meta.id}.md`, engine.ruleMarkdown(r, 'web').replace(/https:\/\/github\.com\/kb-hints\/kb-hints\/blob\/main\/docs\/rules\//g, './').replace(/https:\/\/github\.com\/kb-hints\/kb-hints\/blob\/main\/kb\//g, '../../kb/'));
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  out.set('README.md', replaceBlock(replaceBlock(readme, 'rules', rulesTable(engine)), 'topics', topicsTable(engine)));
  return out;
}

function rulesTable(engine) {
  const rows = [...engine.RULES]
    .sort((a, b) => a.meta.appliesTo[0].localeCompare(b.meta.appliesTo[0]) || SEVERITY_ORDER[a.meta.severity] - SEVERITY_ORDER[b.meta.severity] || a.meta.id.localeCompare(b.meta.id))
    .map((r) => `| [\`${r.meta.id}\`](docs/rules/${r.meta.id}.md) | ${r.meta.severity} | ${r.meta.appliesTo.map((a) => (a === 'kubernetes' ? 'Kubernetes' : 'CloudFormation/CDK')).join(', ')} | [${r.meta.kb}](kb/${r.meta.kb}.md) | ${r.meta.title} |`);
  return ['| Rule | Severity | Files | KB topic | What it finds |', '|---|---|---|---|---|', ...rows].join('\n');
}

function topicsTable(engine) {
  const rows = engine.TOPICS.map((t) => {
    const rules = engine.rulesForTopic(t.id).map((r) => `\`${r.meta.id}\``).join(', ') || '(hover and KB search)';
    const places = [...t.cloudformation.map((x) => `\`${x}\``), ...t.kubernetes.map((k) => `kind \`${k}\``), ...t.properties.map((p) => `\`${p}\``)].join(', ') || 'KB search, related links';
    return `| [${t.title}](kb/${t.id}.md) | ${rules} | ${places} |`;
  });
  return ['| KB topic | Rules that enforce it | Where its hover appears |', '|---|---|---|', ...rows].join('\n');
}

function replaceBlock(text, name, content) {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i === -1 || j === -1) throw new Error(`README.md lacks the ${start} ... ${end} block`);
  return `${text.slice(0, i + start.length)}\n${content}\n${text.slice(j)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  const files = generate();
  const stale = [];
  fs.mkdirSync(path.join(root, 'docs/rules'), { recursive: true });
  const wanted = new Set([...files.keys()].filter((f) => f.startsWith('docs/rules/')).map((f) => path.basename(f)));
  for (const f of fs.readdirSync(path.join(root, 'docs/rules'))) if (!wanted.has(f)) (check ? stale.push(`docs/rules/${f}`) : fs.rmSync(path.join(root, 'docs/rules', f)));
  for (const [rel, content] of files) {
    const full = path.join(root, rel);
    const current = fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : undefined;
    if (current === content) continue;
    if (check) stale.push(rel);
    else fs.writeFileSync(full, content);
  }
  if (check && stale.length) {
    console.error(`Generated docs are stale (run npm run docs): ${stale.join(', ')}`);
    process.exit(1);
  }
}
