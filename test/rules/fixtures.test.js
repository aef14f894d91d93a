// Runs every rule's fixtures: test/rules/<rule-id>/fires*.{yaml,yml,json,template} must give exactly the
// expected findings of that rule; quiet* files must give none. Expected findings are written inline in
// YAML as a caret comment under the line they point at (`#   ^^^ rule-id`: the first caret marks the
// start column), or in a sibling `<file>.expected` with one `line:column rule-id` per line (1-based).
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { parseFile, lint, WorkspaceIndex, RULES } = require('../../dist/engine.js');

const DIR = __dirname;
const FIXTURE = /^(fires|quiet)[\w.-]*\.(ya?ml|json|template)$/;
const CARET = /^(\s*#\s*)(\^+)\s+([a-z0-9-]+)\s*$/;

function expectedFindings(file, text) {
  const sidecar = `${file}.expected`;
  if (fs.existsSync(sidecar)) {
    return fs.readFileSync(sidecar, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#')).map((l) => {
      const [pos, rule] = l.trim().split(/\s+/);
      const [line, column] = pos.split(':').map(Number);
      return `${line}:${column} ${rule}`;
    });
  }
  const out = [];
  const lines = text.split(/\r?\n/);
  let target = -1;
  lines.forEach((l, i) => {
    const m = CARET.exec(l);
    if (!m) {
      target = i;
      return;
    }
    out.push(`${target + 1}:${m[1].length + 1} ${m[3]}`);
  });
  return out;
}

function actualFindings(parsed, ruleId, workspace) {
  return lint(parsed, { workspace })
    .filter((f) => f.ruleId === ruleId)
    .map((f) => {
      const p = parsed.lines.position(f.start);
      return `${p.line + 1}:${p.character + 1} ${f.ruleId}`;
    });
}

const ruleDirs = fs.readdirSync(DIR).filter((d) => fs.statSync(path.join(DIR, d)).isDirectory()).sort();

describe('rule fixtures', () => {
  for (const ruleId of ruleDirs) {
    describe(ruleId, () => {
      const dir = path.join(DIR, ruleId);
      const files = fs.readdirSync(dir).filter((f) => FIXTURE.test(f)).sort();
      // Parse every fixture of the rule first: cross-file rules see the folder as a workspace.
      const workspace = new WorkspaceIndex();
      const parsed = new Map(files.map((f) => {
        const full = path.join(dir, f);
        const p = parseFile(fs.readFileSync(full, 'utf8'), full);
        workspace.update(p);
        return [f, p];
      }));
      for (const f of files) {
        it(f, () => {
          const full = path.join(dir, f);
          const p = parsed.get(f);
          assert.ok(p.kind, `${f} is not recognised as a template or manifest (${p.skipped})`);
          assert.deepEqual(p.errors, [], `${f} has syntax errors`);
          const actual = actualFindings(p, ruleId, workspace).sort();
          const expected = f.startsWith('quiet') ? [] : expectedFindings(full, p.text).sort();
          if (f.startsWith('fires')) assert.ok(expected.length > 0, `${f} declares no expected finding`);
          assert.deepEqual(actual, expected);
        });
      }
    });
  }

  it('every rule has fires and quiet fixtures', () => {
    for (const r of RULES) {
      const dir = path.join(DIR, r.meta.id);
      const files = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
      assert.ok(files.some((f) => f.startsWith('fires')), `${r.meta.id} has no fires fixture`);
      assert.ok(files.some((f) => f.startsWith('quiet')), `${r.meta.id} has no quiet fixture`);
    }
  });
});
