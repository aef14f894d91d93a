// Every rule is complete (metadata, KB topic that exists) and every KB topic reaches the user.
const assert = require('node:assert/strict');
const { RULES, TOPICS, topicById, rulesForTopic } = require('../../dist/engine.js');

describe('rules and KB parity', () => {
  it('the KB has the 15 topics of the seed', () => {
    assert.deepEqual(TOPICS.map((t) => t.id).sort(), ['app-runner', 'app2container', 'container-services', 'docker', 'ecr', 'ecs-auto-scaling', 'ecs-ec2-capacity', 'ecs-ec2-launch-type', 'ecs-efs-volumes', 'ecs-fargate-launch-type', 'ecs-iam-roles', 'ecs-load-balancers', 'eks', 'eks-data-volumes', 'eks-node-types']);
  });

  it('rule ids are unique and registered in sorted order', () => {
    const ids = RULES.map((r) => r.meta.id);
    assert.deepEqual(ids, [...new Set(ids)].sort());
  });

  for (const r of RULES) {
    it(`${r.meta.id} has complete metadata and cites an existing topic`, () => {
      const m = r.meta;
      assert.ok(topicById(m.kb), `unknown KB topic ${m.kb}`);
      assert.ok(['error', 'warning', 'info', 'hint'].includes(m.severity));
      assert.ok(m.title && m.description.length > 40 && m.fix.length > 20, 'title, description and fix are required');
      assert.ok(m.example.fires && m.example.fixed, 'example fires/fixed required');
      assert.ok(m.appliesTo.length > 0);
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
