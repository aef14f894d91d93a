// @ts-check
// Every rule is complete (metadata, KB topic that exists) and every KB topic reaches the user.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { RULES, TOPICS, topicById, rulesForTopic, parseFile, lint, FAMILIES } = require('../helpers/engine');
const { defined } = require('../helpers/expect');

/** @typedef {import('../../server/src/index').Family} Family */

const RULES_DIR = path.join(__dirname, '../../server/src/rules');

describe('rules and KB parity', () => {
  it('the KB has the 15 topics of the seed', () => {
    assert.deepEqual(TOPICS.map((t) => t.id).sort(), ['app-runner', 'app2container', 'container-services', 'docker', 'ecr', 'ecs-auto-scaling', 'ecs-ec2-capacity', 'ecs-ec2-launch-type', 'ecs-efs-volumes', 'ecs-fargate-launch-type', 'ecs-iam-roles', 'ecs-load-balancers', 'eks', 'eks-data-volumes', 'eks-node-types']);
  });

  it('rule ids are unique and registered in sorted order in rules/index.ts', () => {
    const ids = RULES.map((r) => r.meta.id);
    assert.deepEqual(ids, [...new Set(ids)].sort());
    // The list as written (the bundle keeps it as written: nothing sorts it at run time).
    const source = fs.readFileSync(path.join(RULES_DIR, 'index.ts'), 'utf8');
    const listed = [...source.matchAll(/^import \w+ from '\.\/[a-z]+\/([a-z0-9-]+)';$/gm)].map((m) => m[1]);
    assert.deepEqual(listed, [...listed].sort(), 'imports in rules/index.ts are sorted by rule id');
  });

  it('every rule file is registered, under its own id, in the folder of its family', () => {
    const files = FAMILIES.flatMap((family) => fs.readdirSync(path.join(RULES_DIR, family)).filter((f) => f.endsWith('.ts')).map((f) => /** @type {[Family, string]} */ ([family, f.replace(/\.ts$/, '')])));
    assert.deepEqual(files.map(([, id]) => id).sort(), RULES.map((r) => r.meta.id).sort(), 'rule files and registered rules differ');
    for (const [family, id] of files) {
      const rule = defined(RULES.find((r) => r.meta.id === id), `rule ${id}`);
      assert.ok(rule.meta.appliesTo.includes(family), `${family}/${id}.ts does not apply to ${family}`);
    }
  });

  for (const r of RULES) {
    it(`${r.meta.id} has complete metadata and cites an existing topic`, () => {
      const m = r.meta;
      assert.ok(topicById(m.kb), `unknown KB topic ${m.kb}`);
      assert.ok(['error', 'warning', 'info', 'hint'].includes(m.severity));
      assert.ok(m.title && m.description.length > 40 && m.fix.length > 20, 'title, description and fix are required');
      assert.ok(m.example.fires && m.example.fixed, 'example fires/fixed required');
      assert.ok(m.appliesTo.length > 0);
      assert.ok(Object.keys(m.messages).length > 0, 'messages are required');
    });

    it(`${r.meta.id}: its metadata example fires, and its fixed example does not`, () => {
      const ids = (/** @type {string} */ text) => lint(parseFile(text, 'example.yaml')).filter((f) => f.ruleId === r.meta.id);
      assert.ok(ids(r.meta.example.fires).length > 0, 'example.fires gives no finding');
      assert.deepEqual(ids(r.meta.example.fixed), [], 'example.fixed still fires');
    });
  }

  it('every topic is reachable through a rule, a hover place or a related link', () => {
    const related = new Set(TOPICS.flatMap((t) => t.related));
    for (const t of TOPICS) {
      const reachable = rulesForTopic(t.id).length > 0 || t.cloudformation.length + t.kubernetes.length + t.properties.length > 0 || related.has(t.id);
      assert.ok(reachable, `${t.id} cannot be reached`);
    }
  });

  it('related links point at existing topics', () => {
    for (const t of TOPICS) for (const r of t.related) assert.ok(topicById(r), `${t.id} links to unknown ${r}`);
  });
});
