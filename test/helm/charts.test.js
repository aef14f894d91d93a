// @ts-check
// Helm chart fixtures: every folder of test/helm/charts/ is a chart (Chart.yaml, values.yaml, templates/, and
// subcharts in charts/<name>/, whose templates are linted too).
// Each template is linted with the chart's values, all templates of a chart forming one workspace; the
// findings are exactly those its caret comments state (`#   ^^^ rule-id/messageId`, under the template line).
// A template without carets must stay quiet. `related.json` in a chart lists related locations to check.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { analyzeFile, parseFile, expectedFindings, WorkspaceIndex } = require('../helpers/engine');

const CHARTS = path.join(__dirname, 'charts');

/** @param {string} dir @returns {string[]} */
function templatesOf(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...templatesOf(full));
    else if (/\.ya?ml$/.test(e.name) && !e.name.startsWith('_')) out.push(full);
  }
  return out;
}

/** @param {any} file @param {any} f */
function describeFinding(file, f) {
  const a = file.lines.position(f.start);
  const b = file.lines.position(f.end);
  return `${a.line + 1}:${a.character + 1}-${b.line + 1}:${b.character + 1} ${f.ruleId}${f.messageId ? `/${f.messageId}` : ''}`;
}

/** Lints a chart folder: per template, the parsed file and its findings. */
function lintChart(/** @type {string} */ dir) {
  const workspace = new WorkspaceIndex();
  const subcharts = fs.existsSync(path.join(dir, 'charts')) ? fs.readdirSync(path.join(dir, 'charts')).sort().map((c) => path.join(dir, 'charts', c, 'templates')).filter((d) => fs.existsSync(d)) : [];
  const files = [path.join(dir, 'templates'), ...subcharts].flatMap(templatesOf).map((t) => parseFile(fs.readFileSync(t, 'utf8'), t));
  for (const f of files) workspace.update(f);
  return files.map((file) => ({ file, findings: analyzeFile(file, { workspace, today: '2026-12-01' }).findings }));
}

describe('Helm chart fixtures', () => {
  for (const chart of fs.readdirSync(CHARTS).filter((d) => fs.existsSync(path.join(CHARTS, d, 'Chart.yaml'))).sort()) {
    describe(chart, () => {
      const results = lintChart(path.join(CHARTS, chart));
      for (const { file, findings } of results) {
        it(path.relative(path.join(CHARTS, chart), file.uri), () => {
          assert.equal(file.kind, 'helm', `not linted as a Helm template: ${file.skipped}`);
          assert.deepEqual(file.errors, []);
          const expected = expectedFindings({ name: file.uri, text: file.text }).sort();
          const got = findings.filter((/** @type {any} */ f) => !f.suppressed).map((/** @type {any} */ f) => describeFinding(file, f)).sort();
          assert.deepEqual(got, expected);
        });
      }
      const relatedFile = path.join(CHARTS, chart, 'related.json');
      if (fs.existsSync(relatedFile)) {
        it('related locations in the values files', () => {
          /** @type {Record<string, string[]>} */
          const want = JSON.parse(fs.readFileSync(relatedFile, 'utf8'));
          /** @type {Record<string, string[]>} */
          const got = {};
          for (const { file, findings } of results)
            for (const f of findings)
              for (const r of f.related.filter((/** @type {any} */ r) => r.uri && r.range))
                (got[`${path.relative(path.join(CHARTS, chart), file.uri)} ${describeFinding(file, f)}`] ??= []).push(`${path.basename(String(r.uri))}:${(r.range?.start.line ?? -1) + 1} ${r.message}`);
          assert.deepEqual(got, want);
        });
      }
    });
  }
});

module.exports = { lintChart };
