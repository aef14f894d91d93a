// @ts-check
// The JSON Schemas shipped for team files (schemas/, contributed to the YAML extension) accept the team
// files of the repository and refuse what the reader refuses. Skipped when ajv (a transitive dependency) is absent.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');
const { defined } = require('../helpers/expect');

/** @type {typeof import('ajv').default | undefined} */
let Ajv;
try {
  Ajv = require('ajv').default;
} catch {
  Ajv = undefined;
}
const ROOT = path.resolve(__dirname, '../..');
const schema = (/** @type {string} */ name) => JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', name), 'utf8'));

describe('team file schemas', function () {
  before(function () {
    if (!Ajv) this.skip();
  });
  it('accept the example rule files and the parity rules', () => {
    const validate = new (defined(Ajv))({ allErrors: true, strict: false }).compile(schema('team-rule.schema.json'));
    const dir = path.join(ROOT, 'examples/team-kb/.kbhints/rules');
    const files = [...fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => path.join(dir, f)), path.join(__dirname, 'parity.yaml')];
    for (const f of files) assert.ok(validate(YAML.parse(fs.readFileSync(f, 'utf8'))), `${f}: ${JSON.stringify(validate.errors)}`);
  });
  it('refuse an unknown key, a bad id and a missing selector field', () => {
    const validate = new (defined(Ajv))({ strict: false }).compile(schema('team-rule.schema.json'));
    const ok = { id: 'acme/x', title: 'T', kb: 'ecr', message: 'm', select: { type: 'AWS::ECR::Repository' } };
    assert.ok(validate(ok));
    assert.ok(!validate({ ...ok, colour: 1 }));
    assert.ok(!validate({ ...ok, id: 'x' }));
    assert.ok(!validate({ ...ok, select: {} }));
    assert.ok(!validate({ ...ok, require: { path: 'A', equalz: 1 } }));
  });
  it('the topic schema accepts the front matter of every built-in and example topic', () => {
    const validate = new (defined(Ajv))({ strict: false }).compile(schema('topic-front-matter.schema.json'));
    const dirs = [path.join(ROOT, 'kb'), path.join(ROOT, 'examples/team-kb/kb')];
    const engine = require('../helpers/engine');
    for (const d of dirs) {
      for (const f of fs.readdirSync(d).filter((x) => x.endsWith('.md'))) {
        const t = path.join(d, f);
        const topic = d.endsWith('kb') && !d.includes('examples') ? engine.TOPICS.find((x) => `${x.id}.md` === f) : new engine.TeamLoader().load([], [d]).topics.find((x) => `${x.id}.md` === f);
        const { body, file, ...front } = defined(topic, `the topic of ${t}`);
        assert.ok(validate(front), `${t}: ${JSON.stringify(validate.errors)}`);
      }
    }
  });
});
