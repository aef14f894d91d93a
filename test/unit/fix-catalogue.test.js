// @ts-check
// The quick fix catalogue: rules, the fix ids their findings carry in `data.fix`, the kinds they declare in
// `meta.fixes` and the fix kinds of server/src/fixes must agree, and every kind must be exercised. Each rule's
// fixtures (test/rules/<rule-id>/, linted as one workspace as test/rules/fixtures.test.js does) and its
// metadata example are linted; every fix offered there (other than suppression) is applied and must leave a
// file that parses (for a strict YAML/JSON parser too), without that finding and without any new one.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');
const { parseFile, lint, WorkspaceIndex, RULES, FIX_KINDS, fixKind, fixesFor, applyEdits, hasQuickFix, quickFixSummary } = require('../helpers/engine');
const { defined } = require('../helpers/expect');

/** @typedef {import('../../server/src/index').Finding} Finding */
/** @typedef {import('../../server/src/index').ParsedFile} ParsedFile */
/** @typedef {import('../../server/src/index').Fix} Fix */
/** @typedef {(p: ParsedFile) => Finding[]} LintFn */

const TODAY = '2026-06-15';
const FIXTURES = path.join(__dirname, '..', 'rules');
const FIXTURE = /^(fires|quiet)[\w.-]*\.(ya?ml|json|template)$/;

/**
 * Templates for kinds that no fixture or example can reach (the fix needs something those do not have),
 * so that every kind is still applied here.
 */
/** @type {Record<string, [string, string]>} */
const SAMPLES = {
  'eks-optimized-ami-ssm': [
    'eks.yaml',
    `Resources:
  Cluster:
    Type: AWS::EKS::Cluster
    Properties:
      Version: "1.31"
      RoleArn: arn:aws:iam::123456789012:role/eks
      ResourcesVpcConfig: { SubnetIds: [subnet-1, subnet-2] }
      Logging: { ClusterLogging: { EnabledTypes: [{ Type: api }] } }
  Nodes:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        ImageId: ami-0123456789abcdef0
        UserData:
          Fn::Base64: !Sub |
            apiVersion: node.eks.aws/v1alpha1
            kind: NodeConfig
            spec: { cluster: { name: \${Cluster} } }
`,
  ],
};

/**
 * Findings a rule leaves to another rule's finding on the same resource, so that they come back once that
 * one is fixed: ecs-task-role-missing's Fargate hint gives way to ecs-execution-role-missing's error on the
 * same task definition (whose detail then says that no task role is needed).
 */
const DEFERRED = new Map([['ecs-execution-role-missing', 'ecs-task-role-missing/noTaskRole']]);

const isSuppression = (/** @type {Fix} */ fix) => /^Suppress /.test(fix.title);
const visible = (/** @type {Finding[]} */ findings) => findings.filter((f) => !f.suppressed);
const key = (/** @type {Finding} */ f) => `${f.ruleId} ${f.message}`;

/** @param {string} text @param {string} uri */
function assertParses(text, uri) {
  const file = parseFile(text, uri);
  assert.ok(file.kind, `${uri}: no longer recognised after the fix`);
  assert.deepEqual(file.errors, [], `${uri}: syntax errors after the fix:\n${text}`);
  if (/\.json$/.test(uri)) JSON.parse(text);
  else for (const doc of YAML.parseAllDocuments(text)) assert.deepEqual(doc.errors.map((e) => e.message), [], text);
  return file;
}

/**
 * Applies every non-suppression fix of every finding of `ruleId`; returns the fix ids applied.
 * @param {string} ruleId
 * @param {ParsedFile} parsed
 * @param {Finding[]} findings
 * @param {LintFn} lintAgain
 */
function applyAll(ruleId, parsed, findings, lintAgain) {
  /** @type {Set<unknown>} */
  const applied = new Set();
  for (const f of findings.filter((x) => x.ruleId === ruleId && !x.suppressed)) {
    // The kind fixesFor runs: the one the finding names (checked to be declared elsewhere), else the rule's first.
    const kind = typeof f.data?.fix === 'string' ? f.data.fix : (defined(RULES.find((r) => r.meta.id === ruleId), ruleId).meta.fixes ?? [])[0];
    // Fixes of a second kind the finding names (`data.alsoFix`) are those its own kind does not give.
    const own = new Set(fixesFor(parsed, { ...f, data: { ...f.data, alsoFix: undefined } }).map((x) => x.title));
    for (const fix of fixesFor(parsed, f).filter((x) => !isSuppression(x))) {
      const out = applyEdits(parsed.text, fix.edits);
      const label = `${parsed.uri} [${ruleId}] "${fix.title}"`;
      const after = visible(lintAgain(assertParses(out, parsed.uri)));
      const same = (/** @type {Finding} */ x) => x.ruleId === ruleId && x.start === f.start && x.message === f.message;
      const sameResource = (/** @type {Finding} */ x) => x.ruleId === ruleId && f.data?.resource !== undefined && x.data?.resource === f.data.resource;
      assert.ok(!after.some((x) => same(x) || sameResource(x)), `${label}: the finding is still there:\n${out}`);
      // No finding appears that was not there before (the fixed one aside).
      /** @type {Map<string, number>} */
      const before = new Map();
      for (const x of visible(findings)) before.set(key(x), (before.get(key(x)) ?? 0) + 1);
      for (const x of after) {
        const n = before.get(key(x)) ?? 0;
        if (n) before.set(key(x), n - 1);
        else if (DEFERRED.get(ruleId) === `${x.ruleId}/${x.messageId}` && x.data?.resource === f.data?.resource) continue;
        else assert.equal(x.ruleId, ruleId, `${label}: new finding ${x.ruleId}: ${x.message}\n${out}`);
      }
      applied.add(own.has(fix.title) ? kind : defined(f.data).alsoFix);
    }
  }
  return applied;
}

describe('quick fix catalogue', () => {
  // team-quick-fix serves team rules (tested by their fixtures: examples/team-kb, kb-hints rules test).
  const kindIds = FIX_KINDS.map((k) => k.id).filter((id) => id !== 'team-quick-fix');
  const declared = new Map(RULES.map((r) => [r.meta.id, r.meta.fixes ?? []]));
  /** @type {Set<unknown>} */
  const applied = new Set();

  it('fix kinds are listed once, sorted, each with an id, a summary and a provider', () => {
    assert.deepEqual(kindIds, [...new Set(kindIds)].sort());
    for (const k of FIX_KINDS) {
      assert.match(k.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.equal(typeof k.provide, 'function', k.id);
      assert.ok(k.summary.length > 20 && /\.$/.test(k.summary), `${k.id}: a summary sentence`);
      assert.equal(fixKind(k.id), k);
    }
  });

  it('every fix a rule declares has a provider, and every provider is declared by a rule', () => {
    for (const [rule, fixes] of declared) {
      for (const id of fixes) assert.ok(fixKind(id), `${rule} declares fix ${id}, which has no provider in server/src/fixes`);
      assert.equal(new Set(fixes).size, fixes.length, `${rule} declares a fix twice`);
      assert.equal(hasQuickFix(rule), fixes.length > 0, rule);
      assert.equal(quickFixSummary({ id: rule }) !== undefined, fixes.length > 0, rule);
    }
    const used = new Set([...declared.values()].flat());
    for (const id of kindIds) assert.ok(used.has(id), `fix kind ${id} is declared by no rule (add it to a rule's meta.fixes, or remove it)`);
  });

  for (const rule of RULES) {
    const id = rule.meta.id;
    // Tests, not a nested suite: mocha runs a suite's own tests before its nested suites, and the coverage
    // check below must come after these.
    it(`${id}: every data.fix its findings carry (fixtures, example) is declared in meta.fixes; its fixes re-lint clean`, () => {
      const dir = path.join(FIXTURES, id);
      const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => FIXTURE.test(f)).sort() : [];
      const workspace = new WorkspaceIndex();
      const parsed = files.map((f) => {
        const full = path.join(dir, f);
        const p = parseFile(fs.readFileSync(full, 'utf8'), full);
        workspace.update(p);
        return p;
      });
      const lintIn = (/** @type {ParsedFile} */ p) => lint(p, { workspace, today: TODAY });
      const example = parseFile(rule.meta.example.fires, `${id}.example.yaml`);
      const lintAlone = (/** @type {ParsedFile} */ p) => lint(p, { today: TODAY });
      /** @type {[ParsedFile, LintFn][]} */
      const cases = [...parsed.map((p) => /** @type {[ParsedFile, LintFn]} */ ([p, lintIn])), [example, lintAlone]];
      /** @type {Set<string>} */
      const emitted = new Set();
      for (const [p, lintFn] of cases) {
        const findings = lintFn(p);
        for (const f of findings.filter((x) => x.ruleId === id)) {
          if (f.data?.fix !== undefined) emitted.add(/** @type {string} */ (f.data.fix)); // a fix id (checked below)
        }
        for (const k of applyAll(id, p, findings, lintFn)) applied.add(k);
      }
      for (const fix of emitted) {
        assert.ok(defined(declared.get(id)).includes(fix), `${id} emits data.fix '${fix}' but its meta.fixes is [${defined(declared.get(id)).join(', ')}]`);
        assert.ok(fixKind(fix), `${id} emits data.fix '${fix}', which has no provider`);
      }
    });
  }

  it('templates for kinds that no fixture reaches', () => {
    for (const [kind, [uri, text]] of Object.entries(SAMPLES)) {
      const p = parseFile(text, uri);
      const findings = lint(p, { today: TODAY });
      const rules = [...declared].filter(([, fixes]) => fixes.includes(kind)).map(([r]) => r);
      const got = new Set(rules.flatMap((r) => [...applyAll(r, p, findings, (x) => lint(x, { today: TODAY }))]));
      assert.ok(got.has(kind), `the sample for ${kind} gets no ${kind} fix`);
      for (const k of got) applied.add(k);
    }
  });

  it('every fix kind is applied (and re-lints clean) on a fixture, a rule example or a sample above', () => {
    for (const id of kindIds) assert.ok(applied.has(id), `fix kind ${id} is never applied: add a fixture or a sample where it is offered`);
  });
});
