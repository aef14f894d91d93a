// @ts-check
// ECS API task definition JSON (register-task-definition input) is read as a one-resource template.
const assert = require('node:assert/strict');
const { parseFile, lint, templateOf, at } = require('../helpers/engine');
const { defined, map } = require('../helpers/expect');

const TASKDEF = `{
  "family": "web",
  "requiresCompatibilities": ["FARGATE"],
  "networkMode": "awsvpc",
  "cpu": "256",
  "memory": "512",
  "containerDefinitions": [
    { "name": "app", "image": "public.ecr.aws/nginx/nginx:1.27",
      "logConfiguration": { "logDriver": "awslogs", "options": { "awslogs-group": "web" } } }
  ],
  "volumes": [{ "name": "data", "efsVolumeConfiguration": { "fileSystemId": "s3://bucket" } }]
}`;

describe('ECS task definition JSON', () => {
  const file = parseFile(TASKDEF, 'web-taskdef.json');

  it('is recognised from its content', () => {
    assert.equal(file.kind, 'ecs-taskdef');
    assert.equal(parseFile('{"containerDefinitions": 3}', 'x.json').kind, undefined);
  });

  it('becomes a task definition resource named by its family, with CloudFormation property names', () => {
    const td = defined(defined(templateOf(file)).resource('web'), 'resource web');
    assert.equal(td.type, 'AWS::ECS::TaskDefinition');
    const properties = map(td.properties, 'Properties');
    assert.deepEqual(properties.pairs.map((p) => p.key.value), ['Family', 'RequiresCompatibilities', 'NetworkMode', 'Cpu', 'Memory', 'ContainerDefinitions', 'Volumes']);
    // Free-form maps keep their keys.
    const options = map(at(properties, 'ContainerDefinitions', 0, 'LogConfiguration', 'Options'), 'Options');
    assert.equal(options.pairs[0].key.value, 'awslogs-group');
  });

  it('runs the CloudFormation rules at the real positions', () => {
    const ids = lint(file).map((f) => `${f.ruleId}@${file.lines.position(f.start).line + 1}`);
    assert.ok(ids.includes('ecs-execution-role-missing@2'), ids.join(' '));
    // The Fargate task-role hint gives way to the execution-role error on the same family line.
    assert.ok(!ids.includes('ecs-task-role-missing@2'), ids.join(' '));
    const ec2 = parseFile(TASKDEF.replace('"FARGATE"', '"EC2"'), 'web-taskdef.json');
    assert.ok(lint(ec2).some((f) => f.ruleId === 'ecs-task-role-missing' && ec2.lines.position(f.start).line === 1));
    assert.ok(ids.includes('volume-s3-not-mountable@11'), ids.join(' '));
  });
});
