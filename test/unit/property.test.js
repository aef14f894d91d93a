// @ts-check
// Property-based tests (fast-check) on real corpus files and generated YAML: whatever is done to a
// file (deletions, insertions, truncations, tag and indentation garbage), parsing and linting never
// throw, and every reported range lies inside the document on UTF-16 code point boundaries. The fast
// block-YAML parser agrees with the CST composer, and an incremental re-parse with a full parse.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const fc = require('fast-check');
const { parseFile, parseYaml, lint } = require('../helpers/engine');
const { tempDir } = require('../helpers/tmp');

/** @typedef {import('../../server/src/index').Finding} Finding */
/** @typedef {import('../../server/src/index').LineIndex} LineIndex */

const ROOT = path.resolve(__dirname, '../..');
const CORPUS = path.join(ROOT, 'test/corpus');
const CLI = path.join(ROOT, 'dist/cli.js');

// A handful of real files (from test/corpus, see its SOURCES.md), and the repository's examples.
const SAMPLES = [
  'cloudformation/ecsrefarch_services-product-service_service.yaml',
  'cloudformation/copilot_svc-nlb-dev.stack.yml',
  'cloudformation/cfnnag_yaml-elasticloadbalacingv2_elasticloadbalancer_conditional_property_values.yml',
  'cdk/cdkcli_stack-with-role_Stack1.template.json',
  'kubernetes/ebscsi_dynamic-provisioning_storageclass.yaml',
  'kubernetes/kubelinter_statefulset-volumeclaimtemplate-annotation.yml',
  'ecs-taskdef/ecstd_gunicorn_ec2.json',
];
function samples() {
  const examples = fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => /\.(ya?ml|json)$/.test(f)).map((f) => path.join(ROOT, 'examples', f));
  return [...SAMPLES.map((rel) => path.join(CORPUS, rel)), ...examples].map((f) => ({ uri: f, text: fs.readFileSync(f, 'utf8') }));
}
const FILES = samples();

const GARBAGE = ['!Ref ', '!GetAtt ', '!Sub ', '!If ', '!!str ', '!<tag:x> ', '!', '&a ', '*a', '*missing', '&', '*', ': ', '- ', '? ', '|', '>-', '#', '"', "'", '[', ']', '{', '}', ',', '\t', '\r', '\r\n', '\n', '   ', '---\n', '...\n', '%YAML 1.2\n', '\\', '\\u12', '{{ .Values.x }}', '\0', '\uFEFF', '😀', '\uD83D', '\uDE00', 'é', '\u2028'];

/** A sequence of edits applied to a text: deletions, insertions (garbage or random), truncation, indentation. */
const edit = fc.oneof(
  fc.record({ kind: fc.constant('delete'), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('insert'), at: fc.nat(), text: fc.oneof(fc.constantFrom(...GARBAGE), fc.string({ maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 4 })) }),
  fc.record({ kind: fc.constant('truncate'), at: fc.nat() }),
  fc.record({ kind: fc.constant('indent'), at: fc.nat(), text: fc.constantFrom(' ', '  ', '\t', '') }),
);

/** @typedef {{ kind: 'delete', at: number, length: number } | { kind: 'insert' | 'indent', at: number, text: string } | { kind: 'truncate', at: number }} Edit */

/** @param {string} text @param {Edit} e */
function apply(text, e) {
  const at = text.length ? e.at % (text.length + 1) : 0;
  switch (e.kind) {
    case 'delete':
      return text.slice(0, at) + text.slice(at + e.length);
    case 'insert':
      return text.slice(0, at) + e.text + text.slice(at);
    case 'truncate':
      return text.slice(0, at);
    default: {
      const ls = text.lastIndexOf('\n', at - 1) + 1;
      return text.slice(0, ls) + e.text + text.slice(ls).replace(/^ /, '');
    }
  }
}

/** @param {number} c */
function isHigh(c) {
  return c >= 0xd800 && c <= 0xdbff;
}
/** @param {number} c */
function isLow(c) {
  return c >= 0xdc00 && c <= 0xdfff;
}
/** An offset between the two halves of a surrogate pair cuts a character in two. @param {string} text @param {number} offset */
function splitsPair(text, offset) {
  return offset > 0 && offset < text.length && isHigh(text.charCodeAt(offset - 1)) && isLow(text.charCodeAt(offset));
}

/** @param {string} text @param {LineIndex} lines @param {number} start @param {number} end @param {string} what */
function checkRange(text, lines, start, end, what) {
  assert.ok(Number.isInteger(start) && Number.isInteger(end), `${what}: integer offsets`);
  assert.ok(0 <= start && start <= end && end <= text.length, `${what}: [${start}, ${end}) inside 0..${text.length}`);
  assert.ok(!splitsPair(text, start) && !splitsPair(text, end), `${what}: [${start}, ${end}) splits a surrogate pair`);
  for (const o of [start, end]) {
    const p = lines.position(o);
    assert.ok(p.line >= 0 && p.line < lines.lineCount && p.character >= 0, `${what}: line ${p.line}, character ${p.character}`);
    // Back to an offset: the same one, or the end of its line when it sat inside a CRLF.
    assert.ok(lines.offset(p) <= o && o - lines.offset(p) <= 1, `${what}: position of ${o} is ${JSON.stringify(p)}`);
  }
}

/** Parses and lints; checks every finding, related location and syntax error range. @param {string} text @param {string} uri */
function checkText(text, uri) {
  const file = parseFile(text, uri);
  const findings = lint(file);
  for (const e of file.errors) checkRange(text, file.lines, e.start, e.end, `syntax error ${e.message}`);
  for (const f of findings) {
    checkRange(text, file.lines, f.start, f.end, `${f.ruleId} finding`);
    for (const r of f.related) checkRange(text, file.lines, r.start, r.end, `${f.ruleId} related`);
  }
  return { file, findings };
}

const RUNS = Number(process.env.KB_HINTS_PROPERTY_RUNS) || 60;

describe('property: parse and lint never throw, ranges stay inside the text', function () {
  this.timeout(60000);
  for (const { uri, text } of FILES) {
    it(path.basename(uri), () => {
      checkText(text, uri);
      fc.assert(
        fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => {
          checkText(edits.reduce(apply, text), uri);
        }),
        { numRuns: RUNS, seed: 42 },
      );
    });
  }
});

/** The node tree as comparable data (alias targets by position). @param {unknown} docs */
function tree(docs) {
  return JSON.parse(JSON.stringify(docs, (k, v) => (k === 'target' ? (v ? [v.kind, v.start, v.end] : null) : k === 'errors' ? undefined : v)));
}

describe('property: the fast YAML parser and the CST composer agree', function () {
  this.timeout(60000);
  const yamlFiles = FILES.filter((f) => !/\.json$/.test(f.uri));
  it('on corpus files and edits of them: same tree whenever the CST finds no error', () => {
    for (const { uri, text } of yamlFiles) {
      const strip = text.replace(/^\uFEFF/, '');
      assert.deepEqual(tree(parseYaml(strip).docs), tree(parseYaml(strip, { maxDepth: 500, parser: 'cst' }).docs), uri);
    }
    fc.assert(
      fc.property(fc.constantFrom(...yamlFiles), fc.array(edit, { minLength: 1, maxLength: 4 }), ({ text }, edits) => {
        const t = edits.reduce(apply, text);
        const auto = parseYaml(t);
        const cst = parseYaml(t, { maxDepth: 500, parser: 'cst' });
        if (cst.errors.length) {
          // The one leniency: continuation lines of a quoted scalar at any column (as PyYAML).
          if (!auto.errors.length) assert.match(cst.errors[0].message, /Missing closing ["']quote/, `accepted an error: ${cst.errors[0].message}`);
          return;
        }
        assert.deepEqual(auto.errors, []);
        assert.deepEqual(tree(auto.docs), tree(cst.docs));
      }),
      { numRuns: RUNS * 4, seed: 7 },
    );
  });
});

describe('property: an incremental re-parse equals a full parse', function () {
  this.timeout(60000);
  const yamlFiles = FILES.filter((f) => !/\.json$/.test(f.uri));
  const typing = fc.record({ at: fc.nat(), text: fc.constantFrom('x', ' ', '1', 'a: b', '\n', '\n  Key: v', '\n    - item', '# c', ':', '"', '-', '') , del: fc.integer({ min: 0, max: 3 }) });
  it('after each of a few edits', () => {
    fc.assert(
      fc.property(fc.constantFrom(...yamlFiles), fc.array(typing, { minLength: 1, maxLength: 8 }), ({ uri, text }, edits) => {
        let current = text;
        let previous = parseFile(current, uri);
        for (const e of edits) {
          const at = e.at % (current.length + 1);
          current = current.slice(0, at) + e.text + current.slice(at + e.del);
          const incremental = parseFile(current, uri, { previous });
          const full = parseFile(current, uri);
          assert.deepEqual(tree({ docs: incremental.docs, errors: incremental.errors, kind: incremental.kind }), tree({ docs: full.docs, errors: full.errors, kind: full.kind }));
          previous = incremental;
        }
      }),
      { numRuns: RUNS, seed: 11 },
    );
  });
});

describe('incremental re-parse of a large template while an entry has an error', () => {
  // From 256 KB on, an entry the fast parser cannot read is parsed alone: its error stays in it.
  const parts = ['AWSTemplateFormatVersion: "2010-09-09"\nResources:\n'];
  for (let i = 0; i < 2000; i++) parts.push(`  Task${i}:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Family: task-${i}\n${i % 7 ? '      TaskRoleArn: !GetAtt Role.Arn\n' : ''}      ContainerDefinitions:\n        - Name: app\n          Image: public.ecr.aws/nginx/nginx:1.${i % 30}\n`);
  const big = parts.join('');

  it('typing an unclosed quote, then closing it, reuses the tree and ends equal to a full parse', () => {
    assert.ok(big.length > 256 * 1024);
    let previous = parseFile(big, 'big.yaml');
    const before = lint(previous).filter((f) => f.ruleId !== 'syntax-error');
    const at = big.indexOf('Family: task-600') + 'Family: '.length;
    const broken = big.slice(0, at) + '"' + big.slice(at);
    const b = parseFile(broken, 'big.yaml', { previous });
    assert.equal(b.incremental, true);
    assert.ok(b.errors.length > 0 && b.errors.every((e) => e.start >= big.indexOf('  Task600:') && e.start < big.indexOf('  Task601:') + 1), JSON.stringify(b.errors));
    const during = lint(b).filter((f) => f.ruleId !== 'syntax-error');
    // Findings elsewhere do not move or flicker while the entry is broken.
    const away = (/** @type {Finding[]} */ list) => list.filter((f) => f.start < big.indexOf('  Task600:')).map((f) => [f.ruleId, f.start]);
    assert.deepEqual(away(during), away(before));
    const fixed = broken.slice(0, at + 1) + 'web"' + broken.slice(at + 1 + 'task-600'.length);
    const c = parseFile(fixed, 'big.yaml', { previous: b });
    assert.equal(c.incremental, true);
    assert.deepEqual(c.errors, []);
    assert.deepEqual(tree({ docs: c.docs, kind: c.kind }), tree({ docs: parseFile(fixed, 'big.yaml').docs, kind: c.kind }));
    previous = c;
  });
});

describe('property: the CLI never fails on mangled files', function () {
  this.timeout(60000);
  it('exit code 0 or 1 and a JSON report, on two mangled samples', () => {
    const tmp = tempDir();
    try {
      const picks = FILES.slice(0, 2);
      fc.assert(
        fc.property(fc.array(edit, { minLength: 1, maxLength: 5 }), fc.array(edit, { minLength: 1, maxLength: 5 }), (e1, e2) => {
          picks.forEach(({ uri, text }, i) => tmp.write(`f${i}${path.extname(uri)}`, [e1, e2][i].reduce(apply, text)));
          const r = spawnSync(process.execPath, [CLI, 'lint', tmp.dir, '--format', 'json'], { encoding: 'utf8', timeout: 20000 });
          assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
          assert.ok(Array.isArray(JSON.parse(r.stdout)));
        }),
        { numRuns: 6, seed: 3 },
      );
    } finally {
      tmp.cleanup();
    }
  });
});
