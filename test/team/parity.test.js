// @ts-check
// Six built-in rules of simple shape written as team rules (test/team/parity.yaml) give the same findings,
// at the same ranges, as the built-in rules on the corpus (test/corpus, else /work/shared/corpus).
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const engine = require('../helpers/engine');
const { defined } = require('../helpers/expect');

const CORPUS = [path.join(__dirname, '../corpus'), '/work/shared/corpus'].find((d) => fs.existsSync(d));

/** The linted files under `dir`, sorted. @param {string} dir @returns {string[]} */
function files(dir) {
  /** @type {string[]} */
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p));
    else if (/\.(ya?ml|json|template)$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

describe('team rules: parity with built-in rules on the corpus', function () {
  this.timeout(120000);
  const text = fs.readFileSync(path.join(__dirname, 'parity.yaml'), 'utf8');
  const builtIn = new Set(engine.RULES.map((r) => r.meta.id));
  const { rules: specs, errors } = engine.readRuleFile(text, 'parity.yaml', builtIn);
  it('the parity rules load', () => assert.deepEqual(errors, []));
  const team = specs.map((s) => engine.compileRule(s));
  const corpus = CORPUS ? files(CORPUS) : [];
  for (const rule of team) {
    const id = rule.meta.id.replace('parity/', '');
    it(`${id}: same findings as the built-in rule`, function () {
      if (!corpus.length) this.skip();
      const original = defined(engine.ruleById(id), `built-in rule ${id}`);
      let compared = 0;
      const diffs = [];
      for (const f of corpus) {
        const file = engine.parseFile(fs.readFileSync(f, 'utf8'), f);
        if (!file.kind) continue;
        const a = engine.lint(file, { rules: [original], suppress: false }).filter((x) => x.ruleId === id).map((x) => `${x.start}-${x.end}`);
        const b = engine.lint(file, { rules: [rule], suppress: false }).filter((x) => x.ruleId === rule.meta.id).map((x) => `${x.start}-${x.end}`);
        compared += a.length;
        if (a.join() !== b.join()) diffs.push(`${path.relative(defined(CORPUS), f)}: built-in [${a}] team [${b}]`);
      }
      assert.deepEqual(diffs, []);
      defined(this.test).title += ` (${compared} findings)`;
    });
  }
});
