// @ts-check
// Runs every rule's fixtures in test/rules/<rule-id>/ with the engine's fixture tester (the same one
// `kb-hints rules test` uses): `fires*` files give exactly the findings their annotations state (rule,
// message id, whole range), `quiet*` files give none, and `<stem>.fixed.<ext>` is what the rule's quick
// fixes must make of a fixture (then linting clean of the rule). See server/src/testing/fixtures.ts.
// A subfolder of a rule's folder (at any depth) is a workspace of its own; its `.kbhints.yaml`, if any, declares the
// environment (test/rules/k8s-service-classic-lb/declared-lbc/.kbhints.yaml).
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { RULES, testFixtures, isFixtureName, fixedName, mayClaim, parseConfig } = require('../helpers/engine');

const DIR = __dirname;
const TODAY = '2026-12-01';

/** @param {string} dir */
function fixturesIn(dir) {
  const read = (/** @type {string} */ name) => (fs.existsSync(path.join(dir, name)) ? fs.readFileSync(path.join(dir, name), 'utf8') : undefined);
  return fs
    .readdirSync(dir)
    .filter((f) => isFixtureName(f) && mayClaim(f))
    .sort()
    .map((name) => ({ name: path.join(dir, name), text: /** @type {string} */ (read(name)), expected: read(`${name}.expected`), fixed: read(fixedName(name)) }));
}

const ruleDirs = fs.readdirSync(DIR).filter((d) => fs.statSync(path.join(DIR, d)).isDirectory()).sort();

/** Every folder below `dir`, at any depth, as a path relative to it. @param {string} dir @returns {string[]} */
const subfolders = (dir) =>
  fs
    .readdirSync(dir)
    .filter((d) => fs.statSync(path.join(dir, d)).isDirectory())
    .sort()
    .flatMap((d) => [d, ...subfolders(path.join(dir, d)).map((sub) => path.join(d, sub))]);

describe('rule fixtures', () => {
  for (const ruleId of ruleDirs) {
    describe(ruleId, () => {
      const fixtures = fixturesIn(path.join(DIR, ruleId));
      const results = testFixtures(ruleId, fixtures, RULES, TODAY);
      for (const r of results) {
        it(path.basename(r.name), () => assert.deepEqual(r.problems, []));
      }
      for (const sub of subfolders(path.join(DIR, ruleId))) {
        const dir = path.join(DIR, ruleId, sub);
        const configFile = path.join(dir, '.kbhints.yaml');
        const parsed = fs.existsSync(configFile) ? parseConfig(fs.readFileSync(configFile, 'utf8'), configFile) : undefined;
        it(`${sub}/.kbhints.yaml is valid`, () => assert.deepEqual(parsed?.errors ?? [], []));
        for (const r of testFixtures(ruleId, fixturesIn(dir), RULES, TODAY, parsed?.config.environment)) {
          it(`${sub}/${path.basename(r.name)}`, () => assert.deepEqual(r.problems, []));
        }
      }
    });
  }

  it('every rule has fires and quiet fixtures, and every fixture folder is a rule', () => {
    const ids = RULES.map((r) => r.meta.id);
    for (const id of ids) {
      const files = fs.existsSync(path.join(DIR, id)) ? fs.readdirSync(path.join(DIR, id)) : [];
      assert.ok(files.some((f) => f.startsWith('fires')), `${id} has no fires fixture`);
      assert.ok(files.some((f) => f.startsWith('quiet')), `${id} has no quiet fixture`);
    }
    for (const d of ruleDirs) assert.ok(ids.includes(d), `test/rules/${d} is not a rule id`);
  });
});
