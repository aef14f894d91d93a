// @ts-check
// CloudFormation rules that read more than one file: the declared environment (ECR registry scanning), the
// severity a finding sets for itself (and the user's configuration winning over it), and cross-stack facts
// gathered by the workspace index, also through its snapshot (as the parallel CLI sends it).
const assert = require('node:assert/strict');
const { parseFile, lint, RULES, WorkspaceIndex } = require('../helpers/engine');

const REPO = 'Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n    Properties:\n      RepositoryName: app\n';
/** @param {import('../../server/src/index').Finding[]} findings @param {string} rule */
const of = (findings, rule) => findings.filter((f) => f.ruleId === rule);

describe('CloudFormation rules in context', () => {
  it('ecr-scan-on-push-disabled is quiet when the environment declares registry scanning', () => {
    const file = parseFile(REPO, 'repo.yaml');
    assert.equal(of(lint(file, { rules: RULES }), 'ecr-scan-on-push-disabled').length, 1);
    assert.equal(of(lint(file, { rules: RULES, environment: { ecr: { registryScanning: true } } }), 'ecr-scan-on-push-disabled').length, 0);
    // Without registry scanning, the two other settings remain and the combined fix is no longer offered for scanning.
    const tags = of(lint(file, { rules: RULES, environment: { ecr: { registryScanning: true } } }), 'ecr-tags-mutable')[0];
    assert.deepEqual(tags.data?.settings, { tags: 'IMMUTABLE', lifecycle: true });
  });

  it('a finding may set its own severity; a configured severity wins', () => {
    const text = 'Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      RequiresCompatibilities: [FARGATE]\n      NetworkMode: awsvpc\n      ContainerDefinitions:\n        - { Name: web, Image: public.ecr.aws/docker/library/nginx:1.27 }\n';
    const file = parseFile(text, 't.yaml');
    assert.equal(of(lint(file, { rules: RULES }), 'ecs-task-role-missing')[0].severity, 'info'); // below the rule's warning: a Fargate task with no sign of AWS calls
    assert.equal(of(lint(file, { rules: RULES, severities: { 'ecs-task-role-missing': 'error' } }), 'ecs-task-role-missing')[0].severity, 'error');
    assert.equal(of(lint(file, { rules: RULES, severities: { 'ecs-task-role-missing': 'off' } }), 'ecs-task-role-missing').length, 0);
  });

  it('an exported service is scaled by an importing stack of the workspace, also through a snapshot', () => {
    const exporter = parseFile('Resources:\n  Svc:\n    Type: AWS::ECS::Service\n    Properties:\n      DesiredCount: 2\nOutputs:\n  Name:\n    Value: !GetAtt Svc.Name\n    Export: { Name: !Sub "${AWS::StackName}-svc" }\n', 'app.yaml');
    const importer = parseFile('Parameters:\n  App: { Type: String }\nResources:\n  Target:\n    Type: AWS::ApplicationAutoScaling::ScalableTarget\n    Properties:\n      ServiceNamespace: ecs\n      ScalableDimension: ecs:service:DesiredCount\n      ResourceId: !Join ["/", [service, prod, !ImportValue { "Fn::Sub": "${App}-svc" }]]\n      MinCapacity: 1\n      MaxCapacity: 4\n', 'scaling.yaml');
    const alone = new WorkspaceIndex();
    alone.update(exporter);
    // Imported by no workspace file: cannot be ruled out.
    assert.equal(of(lint(exporter, { rules: RULES, workspace: alone }), 'ecs-service-autoscaling-missing').length, 0);
    const both = new WorkspaceIndex();
    both.update(exporter);
    both.update(importer);
    const copy = new WorkspaceIndex();
    copy.merge(both.snapshot());
    for (const ws of [both, copy]) assert.equal(of(lint(exporter, { rules: RULES, workspace: ws }), 'ecs-service-autoscaling-missing').length, 0);
    // An importer that does not scale it: the finding stays.
    const reader = parseFile('Parameters:\n  App: { Type: String }\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: !ImportValue { "Fn::Sub": "${App}-svc" }\n', 'reader.yaml');
    const other = new WorkspaceIndex();
    other.update(exporter);
    other.update(reader);
    assert.equal(of(lint(exporter, { rules: RULES, workspace: other }), 'ecs-service-autoscaling-missing').length, 1);
  });

  it("a template's imports are found wherever they are written, once each, not inside another import's name", () => {
    const text = [
      'Parameters:',
      '  Env: { Type: String }',
      'Resources:',
      '  Target:',
      '    Type: AWS::ApplicationAutoScaling::ScalableTarget',
      '    Properties:',
      '      ResourceId: !Sub ["service/${Cluster}/${Svc}", { Cluster: !ImportValue cluster-name, Svc: !ImportValue { "Fn::Sub": "${Env}-svc" } }]',
      '      RoleARN: !ImportValue { "Fn::ImportValue": inner-name }',
      '      MinCapacity: !Sub [x, [!ImportValue in-sub-list]]',
      '  Topic:',
      '    Type: AWS::SNS::Topic',
      '    Properties:',
      '      DisplayName: !ImportValue cluster-name',
      '',
    ].join('\n');
    const ws = new WorkspaceIndex();
    ws.update(parseFile(text, 'imports.yaml'));
    const [facts] = ws.stacks();
    // The inner import names the outer one's export: it is no import of its own.
    assert.deepEqual(facts.imports, ['cluster-name', '*-svc', '*', 'in-sub-list']);
    // The scaling target uses the imports and, through the Sub inside one, the parameter.
    assert.deepEqual(facts.consumers[0].uses, ['p:Env', 'i:cluster-name', 'i:*-svc', 'i:*', 'i:in-sub-list']);
  });
});

describe('ecr-tags-mutable and tags the template moves', () => {
  it('lists the destination tag and the per-architecture tags of an image deployment', () => {
    const fs = require('node:fs');
    const path = require('node:path');
    const p = path.join(__dirname, '..', 'rules', 'ecr-tags-mutable', 'fires-moving-tag.yaml');
    const findings = lint(parseFile(fs.readFileSync(p, 'utf8'), p), { rules: RULES }).filter((f) => f.ruleId === 'ecr-tags-mutable');
    assert.deepEqual(findings.map((f) => f.data?.exclude), [['nginx-manifest', 'nginx-amd64', 'nginx-arm64'], ['latest']]);
  });
});
