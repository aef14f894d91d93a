// Fifty-odd team rules (test/team/parity.yaml nine times over) against the built-in rules on the corpus:
// the cost of the team rules over the whole lint (parse + built-in rules), in this process.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const engine = require('../dist/engine.js');
const corpus = process.argv[2] ?? (fs.existsSync('test/corpus') ? 'test/corpus' : '/work/shared/corpus');
const files = [];
const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); if (e.isDirectory()) walk(p); else if (/\.(ya?ml|json|template)$/.test(e.name)) files.push([p, fs.readFileSync(p, 'utf8')]); } };
walk(corpus);
const src = fs.readFileSync(new URL('../test/team/parity.yaml', import.meta.url), 'utf8');
const text = Array.from({ length: 9 }, (_, i) => src.replaceAll('id: parity/', `id: bench${i}/`)).join('\n');
const { rules: specs } = engine.readRuleFile(text, 'bench.yaml', new Set());
const team = specs.map(engine.compileRule);
const run = (rules) => { const t = performance.now(); for (const [p, t2] of files) { const f = engine.parseFile(t2, p); engine.lint(f, { rules }); } return performance.now() - t; };
const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
for (let i = 0; i < 2; i++) (run(engine.RULES), run([...engine.RULES, ...team]));
const a = [], b = [];
for (let i = 0; i < 7; i++) { a.push(run(engine.RULES)); b.push(run([...engine.RULES, ...team])); }
const base = median(a), withTeam = median(b);
console.log(`${files.length} files, ${team.length} team rules: parse + lint ${base.toFixed(0)} ms built-in only, ${withTeam.toFixed(0)} ms with team rules (+${((withTeam / base - 1) * 100).toFixed(1)}%)`);
