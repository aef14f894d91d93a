// @ts-check
// Parser and model tests through the engine library (dist/engine.js): positions, short tags, YAML/JSON
// parity, references and literals, kind detection, syntax errors, and hostile input.
const assert = require('node:assert/strict');
const {
  parseFile,
  parseYaml,
  parseJson,
  Template,
  templateOf,
  referencesIn,
  directTargets,
  literal,
  literalValues,
  literalPrefixes,
  branches,
  isNoValue,
  k8sObjects,
  podSpec,
  containers,
  LineIndex,
  DEFAULT_MAX_SIZE,
  SHORT_TAG_NAMES,
  lint,
  deref,
  get,
  at,
  str,
  walk,
} = require('../helpers/engine');
const { defined, map, scalar, template: tplOf } = require('../helpers/expect');

/** @typedef {import('../../server/src/index').Node} Node */
/** @typedef {import('../../server/src/index').Template} TemplateModel */

/**
 * A node tree as plain JS values (aliases followed), for structural comparisons.
 * @param {Node | undefined} node
 * @returns {any}
 */
function plain(node) {
  const n = deref(node);
  if (!n) return undefined;
  if (n.kind === 'scalar') return n.value;
  if (n.kind === 'seq') return n.items.map(plain);
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const p of n.pairs) out[String(p.key.value)] = plain(p.value);
  return out;
}

/** Parses `text`, asserting it is read (not skipped) without a syntax error. @param {string} text */
function parseOk(text, uri = 'template.yaml') {
  const f = parseFile(text, uri);
  assert.equal(f.skipped, undefined, `${uri} was skipped: ${f.skipped}`);
  assert.deepEqual(f.errors, [], `${uri} has syntax errors`);
  return f;
}

/** @param {string} text @param {string} [uri] */
function template(text, uri) {
  const tpl = templateOf(parseOk(text, uri));
  assert.ok(tpl, 'no template');
  return tpl;
}

/** The value node of a property of a resource. @param {TemplateModel} tpl @param {string} id @param {string} name */
function prop(tpl, id, name) {
  const res = tpl.resources.get(id);
  assert.ok(res, `no resource ${id}`);
  return get(res.properties, name);
}

/** `{ Ref: X }` etc. of a short tag written as `Key: <yaml>` in a resource's properties. @param {string} yaml */
function tagValue(yaml) {
  const tpl = template(`Resources:\n  R:\n    Type: AWS::S3::Bucket\n    Properties:\n      V: ${yaml}\n`);
  return prop(tpl, 'R', 'V');
}

/** The resource `id` of a template, asserted present. @param {TemplateModel} tpl @param {string} id */
const res = (tpl, id) => defined(tpl.resources.get(id), `resource ${id}`);

/** The references in a node, as `Target` or `Target.Attribute`. @param {Node | undefined} node */
const refs = (node) => referencesIn(node).map((r) => (r.attribute === undefined ? r.target : `${r.target}.${r.attribute}`));

/** Line/character of an offset in `text`, computed independently of LineIndex. @param {string} text @param {number} offset */
function expectedPosition(text, offset) {
  const before = text.slice(0, offset);
  const nl = before.lastIndexOf('\n');
  return { line: before.split('\n').length - 1, character: offset - (nl + 1) };
}

describe('LineIndex', () => {
  it('converts offsets to 0-based lines and UTF-16 columns and back', () => {
    const text = 'ab\ncde\n\nf';
    const li = new LineIndex(text);
    assert.equal(li.lineCount, 4);
    for (let o = 0; o <= text.length; o++) {
      assert.deepEqual(li.position(o), expectedPosition(text, o), `offset ${o}`);
      assert.equal(li.offset(li.position(o)), o, `round trip ${o}`);
    }
    assert.equal(li.lineStart(1), 3);
    assert.equal(li.lineEnd(1), 6);
    assert.equal(li.lineEnd(3), text.length);
  });

  it('clamps out-of-range offsets and positions', () => {
    const li = new LineIndex('ab\ncd');
    assert.deepEqual(li.position(-5), { line: 0, character: 0 });
    assert.deepEqual(li.position(999), { line: 1, character: 2 });
    assert.equal(li.offset({ line: 0, character: 99 }), 2);
    assert.equal(li.offset({ line: 9, character: 0 }), 5);
  });

  it('counts astral characters as two UTF-16 units', () => {
    const text = '😀x\n𝒳é中y';
    const li = new LineIndex(text);
    assert.deepEqual(li.position(text.indexOf('x')), { line: 0, character: 2 });
    assert.deepEqual(li.position(text.indexOf('y')), { line: 1, character: 4 });
  });

  it('keeps the CR of a CRLF out of the line', () => {
    const text = 'ab\r\ncd\r\n';
    const li = new LineIndex(text);
    assert.equal(li.lineCount, 3);
    assert.equal(li.lineEnd(0), 2);
    assert.deepEqual(li.position(2), { line: 0, character: 2 });
    assert.deepEqual(li.position(3), { line: 0, character: 2 }, 'the CR offset maps to the end of the line');
    assert.deepEqual(li.position(4), { line: 1, character: 0 });
    assert.equal(li.offset({ line: 0, character: 10 }), 2, 'a column past the end stops before the CR');
  });
});

describe('positions in parsed files', () => {
  it('YAML: a logical id after an emoji on the same line has a UTF-16 column', () => {
    const text = 'AWSTemplateFormatVersion: "2010-09-09"\nResources: {"😀😀": {Type: AWS::S3::Bucket}, Task: {Type: AWS::ECS::TaskDefinition}}\n';
    const f = parseOk(text);
    const tpl = tplOf(f);
    const task = res(tpl, 'Task');
    const lineText = text.split('\n')[1];
    const utf16 = lineText.indexOf('Task');
    assert.notEqual(utf16, Array.from(lineText.slice(0, utf16)).length, 'the test needs astral characters before the key');
    assert.deepEqual(f.lines.position(task.key.start), { line: 1, character: utf16 });
    assert.deepEqual(f.lines.position(task.key.end), { line: 1, character: utf16 + 4 });
    assert.deepEqual(f.lines.position(defined(task.typeNode).start), { line: 1, character: lineText.indexOf('AWS::ECS') });
    assert.ok(tpl.resources.has('😀😀'));
    // The finding the engine reports on the logical id lands on the same UTF-16 column.
    const finding = lint(f).find((x) => x.ruleId === 'ecs-task-role-missing');
    assert.ok(finding);
    assert.deepEqual(f.lines.position(finding.start), { line: 1, character: utf16 });
  });

  it('YAML: multi-byte BMP characters (é, 中) count one unit each', () => {
    const text = 'Resources:\n  T:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags: [{Key: "é中", Value: v}]\n';
    const f = parseOk(text);
    const tag = map(at(res(tplOf(f), 'T').properties, 'Tags', 0));
    const value = tag.pairs[1].key;
    assert.equal(value.value, 'Value');
    assert.deepEqual(f.lines.position(value.start), { line: 4, character: text.split('\n')[4].indexOf('Value') });
  });

  it('JSON: a key after an astral character on the same line has a UTF-16 column', () => {
    const text = '{"Description": "🚀 rocket 🚀", "Resources": {"Task": {"Type": "AWS::ECS::TaskDefinition"}}}';
    const f = parseOk(text, 'a.json');
    const task = res(tplOf(f), 'Task');
    assert.equal(task.key.start, text.indexOf('"Task"'));
    assert.deepEqual(f.lines.position(task.key.start), { line: 0, character: text.indexOf('"Task"') });
    assert.equal(str(get(f.docs[0].root, 'Description')), '🚀 rocket 🚀');
  });

  it('CRLF: positions and values are the same as with LF, and no value keeps a CR', () => {
    const lf = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Family: web\n      Script: |\n        echo a\n        echo b\n      Quoted: "x\n        y"\n';
    const crlf = lf.replace(/\n/g, '\r\n');
    const a = parseOk(lf);
    const b = parseOk(crlf);
    assert.deepEqual(plain(b.docs[0].root), plain(a.docs[0].root));
    walk(b.docs[0].root, (n) => {
      if (n.kind === 'scalar' && typeof n.value === 'string') assert.ok(!n.value.includes('\r'), `CR in ${JSON.stringify(n.value)}`);
    });
    const ta = res(tplOf(a), 'Task');
    const tb = res(tplOf(b), 'Task');
    assert.equal(tb.type, 'AWS::ECS::TaskDefinition');
    for (const [na, nb] of [[ta.key, tb.key], [ta.typeNode, tb.typeNode], [get(ta.properties, 'Family'), get(tb.properties, 'Family')]].map((p) => p.map((n) => defined(n)))) {
      assert.deepEqual(b.lines.position(nb.start), a.lines.position(na.start));
      assert.deepEqual(b.lines.position(nb.end), a.lines.position(na.end));
    }
    assert.equal(str(get(tb.properties, 'Script')), 'echo a\necho b\n');
    assert.equal(str(get(tb.properties, 'Quoted')), 'x y');
  });

  it('CRLF in JSON', () => {
    const text = '{\r\n  "Resources": {\r\n    "Task": {\r\n      "Type": "AWS::ECS::TaskDefinition"\r\n    }\r\n  }\r\n}\r\n';
    const f = parseOk(text, 'a.json');
    const task = res(tplOf(f), 'Task');
    assert.deepEqual(f.lines.position(task.key.start), { line: 2, character: 4 });
    assert.deepEqual(f.lines.position(defined(task.typeNode).end), { line: 3, character: 40 });
  });

  it('a BOM is ignored: YAML and JSON parse, and lines after the first are unaffected', () => {
    const yaml = '\ufeffResources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n';
    const f = parseOk(yaml);
    assert.equal(f.kind, 'cloudformation');
    assert.deepEqual(f.lines.position(res(tplOf(f), 'Task').key.start), { line: 1, character: 2 });
    assert.ok(plain(f.docs[0].root).Resources, 'the first key is "Resources", not "\\ufeffResources"');

    for (const uri of ['a.json', 'a.template']) {
      const j = parseOk('\ufeff{"Resources": {"Task": {"Type": "AWS::ECS::TaskDefinition"}}}', uri);
      assert.equal(j.format, 'json', uri);
      assert.equal(j.kind, 'cloudformation', uri);
      assert.ok(tplOf(j).resources.has('Task'));
    }
  });

  it('tabs inside strings are kept and do not shift positions', () => {
    const text = 'Resources:\n  T:\n    Type: AWS::S3::Bucket\n    Properties:\n      A: "a\\tb\tc"\n      B: \'q\tr\'\n      C: plain\tvalue\n      D: {"k": "x\ty", E: !Sub "\t${Z}"}\n';
    const f = parseOk(text);
    const tpl = tplOf(f);
    assert.equal(str(prop(tpl, 'T', 'A')), 'a\tb\tc');
    assert.equal(str(prop(tpl, 'T', 'B')), 'q\tr');
    assert.equal(str(prop(tpl, 'T', 'C')), 'plain\tvalue');
    const d = prop(tpl, 'T', 'D');
    assert.equal(str(get(d, 'k')), 'x\ty');
    const e = defined(get(d, 'E'), 'E');
    assert.deepEqual(plain(e), { 'Fn::Sub': '\t${Z}' });
    const line = text.split('\n')[7];
    assert.deepEqual(f.lines.position(e.start), { line: 7, character: line.indexOf('!Sub') });
    assert.deepEqual(refs(e), ['Z']);
  });
});

describe('CloudFormation short tags', () => {
  /** @type {[string, Record<string, unknown>][]} */
  const cases = [
    ['!Ref Bucket', { Ref: 'Bucket' }],
    ['!GetAtt Role.Arn', { 'Fn::GetAtt': 'Role.Arn' }],
    ['!GetAtt [Role, Arn]', { 'Fn::GetAtt': ['Role', 'Arn'] }],
    ['!Sub "arn:${AWS::Partition}:s3:::${Bucket}/*"', { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Bucket}/*' }],
    ['!Sub ["${Name}-x", {Name: !Ref Bucket}]', { 'Fn::Sub': ['${Name}-x', { Name: { Ref: 'Bucket' } }] }],
    ['!Join [":", [a, !Ref Bucket]]', { 'Fn::Join': [':', ['a', { Ref: 'Bucket' }]] }],
    ['!Select [1, [a, b]]', { 'Fn::Select': [1, ['a', 'b']] }],
    ['!Split [",", "a,b"]', { 'Fn::Split': [',', 'a,b'] }],
    ['!FindInMap [Map, Key, Value]', { 'Fn::FindInMap': ['Map', 'Key', 'Value'] }],
    ['!ImportValue shared-vpc', { 'Fn::ImportValue': 'shared-vpc' }],
    ['!Base64 "#!/bin/bash"', { 'Fn::Base64': '#!/bin/bash' }],
    ['!GetAZs', { 'Fn::GetAZs': '' }],
    ['!GetAZs ""', { 'Fn::GetAZs': '' }],
    ['!GetAZs us-east-1', { 'Fn::GetAZs': 'us-east-1' }],
    ['!Cidr ["10.0.0.0/16", 6, 5]', { 'Fn::Cidr': ['10.0.0.0/16', 6, 5] }],
    ['!If [IsProd, a, b]', { 'Fn::If': ['IsProd', 'a', 'b'] }],
    ['!Equals [a, b]', { 'Fn::Equals': ['a', 'b'] }],
    ['!Not [!Condition IsProd]', { 'Fn::Not': [{ Condition: 'IsProd' }] }],
    ['!And [!Condition A, !Condition B]', { 'Fn::And': [{ Condition: 'A' }, { Condition: 'B' }] }],
    ['!Or [!Condition A, !Equals [x, y]]', { 'Fn::Or': [{ Condition: 'A' }, { 'Fn::Equals': ['x', 'y'] }] }],
    ['!Condition IsProd', { Condition: 'IsProd' }],
    ['!Transform {Name: AWS::Include, Parameters: {Location: s3://b/k}}', { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://b/k' } } }],
  ];
  for (const [yaml, expected] of cases) {
    it(`${yaml} -> ${Object.keys(expected)[0]}`, () => {
      const node = tagValue(yaml);
      assert.deepEqual(plain(node), expected);
      const m = map(node);
      assert.equal(m.shortTag, yaml.split(/[ \[]/)[0]);
      // The long-form key spans the tag, so findings on the intrinsic point at the tag.
      const key = m.pairs[0].key;
      assert.equal(key.end - key.start, defined(m.shortTag).length);
    });
  }

  it('every tag above is a known short tag', () => {
    for (const [yaml] of cases) assert.ok(SHORT_TAG_NAMES.includes(yaml.split(/[ \[]/)[0]), yaml);
  });

  it('a tag in block style takes the block value', () => {
    const tpl = template('Resources:\n  R:\n    Type: AWS::S3::Bucket\n    Properties:\n      V: !Join\n        - ""\n        - - a\n          - !Ref X\n      W: !Sub |\n        echo ${X}\n');
    assert.deepEqual(plain(prop(tpl, 'R', 'V')), { 'Fn::Join': ['', ['a', { Ref: 'X' }]] });
    assert.deepEqual(plain(prop(tpl, 'R', 'W')), { 'Fn::Sub': 'echo ${X}\n' });
  });

  it('nested: !Base64 with a long-form Sub, !Sub inside !Join, !GetAZs inside !Select, !If with NoValue', () => {
    assert.deepEqual(plain(tagValue('!Base64 { "Fn::Sub": "echo ${Bucket}" }')), { 'Fn::Base64': { 'Fn::Sub': 'echo ${Bucket}' } });
    assert.deepEqual(plain(tagValue('!Base64 {"Fn::Join": ["", ["a", !Sub "${X}"]]}')), { 'Fn::Base64': { 'Fn::Join': ['', ['a', { 'Fn::Sub': '${X}' }]] } });
    assert.deepEqual(plain(tagValue('!Join ["", [!Sub "arn:${AWS::Partition}:s3:::", !Ref Bucket]]')), {
      'Fn::Join': ['', [{ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::' }, { Ref: 'Bucket' }]],
    });
    assert.deepEqual(plain(tagValue('!Select [0, !GetAZs ""]')), { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] });
    assert.deepEqual(plain(tagValue('!If [C, !GetAtt A.Arn, !Ref AWS::NoValue]')), { 'Fn::If': ['C', { 'Fn::GetAtt': 'A.Arn' }, { Ref: 'AWS::NoValue' }] });
    assert.deepEqual(refs(tagValue('!Base64 { "Fn::Sub": "echo ${Bucket}" }')), ['Bucket']);
    assert.deepEqual(refs(tagValue('!Join ["", [!Sub "${A.Arn}/x", !Ref B]]')), ['A.Arn', 'B']);
  });

  it('scalar arguments of !Ref/!Sub/!GetAtt stay strings; unknown tags are kept as tags', () => {
    assert.deepEqual(plain(tagValue('!Ref 123')), { Ref: '123' });
    const custom = scalar(tagValue('!Custom value'));
    assert.equal(custom.tag, '!Custom');
    assert.equal(custom.value, 'value');
    const s = scalar(tagValue('!!str 0777'));
    assert.equal(s.value, '0777');
    assert.equal(scalar(tagValue('!!str 123')).value, '123');
  });
});

// One template, written twice: YAML with short tags, JSON with the long forms.
const PARITY_YAML = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env:
    Type: String
  Image:
    Type: String
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Mappings:
  Sizes:
    prod: { Cpu: "1024" }
Resources:
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub "/ecs/\${Env}/\${AWS::StackName}"
  TaskRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: ecs-tasks.amazonaws.com }
            Action: sts:AssumeRole
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Cpu: !FindInMap [Sizes, !Ref Env, Cpu]
      Memory: "2048"
      NetworkMode: awsvpc
      RequiresCompatibilities: [FARGATE]
      TaskRoleArn: !If [IsProd, !GetAtt TaskRole.Arn, !Ref AWS::NoValue]
      ContainerDefinitions:
        - Name: app
          Image: !Ref Image
          Command: !Split [" ", "run --fast"]
          Environment:
            - Name: BUCKET_ARN
              Value: !Join ["", ["arn:", !Ref AWS::Partition, ":s3:::", !Ref Env]]
            - Name: GREETING
              Value: !Sub ["Hello \${Who}, \${!NotAVariable}", { Who: !Ref Env }]
          LogConfiguration:
            LogDriver: awslogs
            Options:
              awslogs-group: !Ref Logs
              awslogs-region: !Ref AWS::Region
  Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref Task
      LaunchType: FARGATE
      DesiredCount: 2
      NetworkConfiguration:
        AwsvpcConfiguration:
          Subnets: !Split [",", !ImportValue shared-subnets]
          AssignPublicIp: DISABLED
Outputs:
  TaskRoleArn:
    Value: !GetAtt [TaskRole, Arn]
    Export:
      Name: !Sub "\${AWS::StackName}-role"
`;

const PARITY_JSON = JSON.stringify({
  AWSTemplateFormatVersion: '2010-09-09',
  Parameters: { Env: { Type: 'String' }, Image: { Type: 'String' } },
  Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } },
  Mappings: { Sizes: { prod: { Cpu: '1024' } } },
  Resources: {
    Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: { 'Fn::Sub': '/ecs/${Env}/${AWS::StackName}' } } },
    TaskRole: {
      Type: 'AWS::IAM::Role',
      Properties: { AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] } },
    },
    Task: {
      Type: 'AWS::ECS::TaskDefinition',
      Properties: {
        Cpu: { 'Fn::FindInMap': ['Sizes', { Ref: 'Env' }, 'Cpu'] },
        Memory: '2048',
        NetworkMode: 'awsvpc',
        RequiresCompatibilities: ['FARGATE'],
        TaskRoleArn: { 'Fn::If': ['IsProd', { 'Fn::GetAtt': ['TaskRole', 'Arn'] }, { Ref: 'AWS::NoValue' }] },
        ContainerDefinitions: [
          {
            Name: 'app',
            Image: { Ref: 'Image' },
            Command: { 'Fn::Split': [' ', 'run --fast'] },
            Environment: [
              { Name: 'BUCKET_ARN', Value: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: 'Env' }]] } },
              { Name: 'GREETING', Value: { 'Fn::Sub': ['Hello ${Who}, ${!NotAVariable}', { Who: { Ref: 'Env' } }] } },
            ],
            LogConfiguration: { LogDriver: 'awslogs', Options: { 'awslogs-group': { Ref: 'Logs' }, 'awslogs-region': { Ref: 'AWS::Region' } } },
          },
        ],
      },
    },
    Service: {
      Type: 'AWS::ECS::Service',
      Properties: {
        TaskDefinition: { Ref: 'Task' },
        LaunchType: 'FARGATE',
        DesiredCount: 2,
        NetworkConfiguration: { AwsvpcConfiguration: { Subnets: { 'Fn::Split': [',', { 'Fn::ImportValue': 'shared-subnets' }] }, AssignPublicIp: 'DISABLED' } },
      },
    },
  },
  Outputs: { TaskRoleArn: { Value: { 'Fn::GetAtt': ['TaskRole', 'Arn'] }, Export: { Name: { 'Fn::Sub': '${AWS::StackName}-role' } } } },
}, null, 2);

/** Normalises `Fn::GetAtt: "A.B"` to the list form, the one difference allowed between the two files. */
/** @param {unknown} value @returns {unknown} */
function normalised(value) {
  if (Array.isArray(value)) return value.map(normalised);
  if (value && typeof value === 'object') {
    /** @type {Record<string, unknown>} */
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = k === 'Fn::GetAtt' && typeof v === 'string' ? v.split(/\.(.*)/s, 2) : normalised(v);
    return out;
  }
  return value;
}

/** Every pair value's literal (or undefined), keyed by its path; GetAtt arguments (written differently) are left out. */
/**
 * @param {Node | undefined} node
 * @param {string} [prefix]
 * @param {Record<string, unknown>} [out]
 * @returns {Record<string, unknown>}
 */
function literalsByPath(node, prefix = '', out = {}) {
  const n = deref(node);
  if (n?.kind === 'map') for (const p of n.pairs) {
    if (p.key.value === 'Fn::GetAtt') continue;
    const path = `${prefix}/${p.key.value}`;
    out[path] = literalValues(p.value);
    literalsByPath(p.value, path, out);
  } else if (n?.kind === 'seq') n.items.forEach((item, i) => literalsByPath(item, `${prefix}/${i}`, out));
  return out;
}

describe('YAML (short tags) and JSON (long form) give the same model', () => {
  const y = parseOk(PARITY_YAML, 'stack.yaml');
  const j = parseOk(PARITY_JSON, 'stack.json');
  const ty = tplOf(y);
  const tj = tplOf(j);

  it('both are CloudFormation, in their own format', () => {
    assert.equal(y.kind, 'cloudformation');
    assert.equal(j.kind, 'cloudformation');
    assert.equal(y.format, 'yaml');
    assert.equal(j.format, 'json');
  });

  it('the same tree once GetAtt forms are normalised', () => {
    assert.deepEqual(normalised(plain(y.docs[0].root)), normalised(plain(j.docs[0].root)));
  });

  it('the same resources, types, parameters and conditions', () => {
    assert.deepEqual([...ty.resources.keys()], ['Logs', 'TaskRole', 'Task', 'Service']);
    assert.deepEqual([...tj.resources.keys()], [...ty.resources.keys()]);
    for (const [id, r] of ty.resources) assert.equal(res(tj, id).type, r.type, id);
    assert.deepEqual([...tj.parameters.keys()], [...ty.parameters.keys()]);
    assert.deepEqual([...tj.conditions], [...ty.conditions]);
    assert.deepEqual(ty.byType('AWS::ECS::TaskDefinition').map((r) => r.id), ['Task']);
    assert.deepEqual(tj.byType('AWS::ECS::Service', 'AWS::IAM::Role').map((r) => r.id), ['TaskRole', 'Service']);
  });

  it('the same references from every resource', () => {
    for (const id of ty.resources.keys()) {
      assert.deepEqual(refs(res(tj, id).properties), refs(res(ty, id).properties), id);
    }
    assert.deepEqual(refs(res(ty, 'Task').properties), ['Env', 'TaskRole.Arn', 'AWS::NoValue', 'Image', 'AWS::Partition', 'Env', 'Env', 'Logs', 'AWS::Region']);
    assert.deepEqual(refs(res(ty, 'Logs').properties), ['Env', 'AWS::StackName']);
    assert.deepEqual(refs(get(ty.root, 'Outputs')), ['TaskRole.Arn', 'AWS::StackName']);
    for (const id of ['TaskRole', 'Task', 'Logs', 'Env']) {
      assert.deepEqual(tj.referencesTo(id).map((e) => `${e.from.id}>${e.target}`), ty.referencesTo(id).map((e) => `${e.from.id}>${e.target}`), id);
    }
    assert.deepEqual(ty.referencesTo('Task').map((e) => e.from.id), ['Service']);
  });

  it('the same literal values everywhere', () => {
    const ly = literalsByPath(y.docs[0].root);
    const lj = literalsByPath(j.docs[0].root);
    assert.deepEqual(lj, ly);
    assert.deepEqual(ly['/Resources/Task/Properties/Memory'], ['2048']);
    assert.deepEqual(ly['/Resources/Service/Properties/DesiredCount'], ['2']);
    assert.equal(ly['/Resources/Task/Properties/Cpu'], undefined, 'FindInMap is not a literal');
    assert.deepEqual(ly['/Outputs/TaskRoleArn/Export/Name'], undefined, 'a Sub with a variable is not a literal');
  });

  it('the same targets through Fn::If', () => {
    for (const tpl of [ty, tj]) {
      assert.deepEqual(tpl.targets(prop(tpl, 'Task', 'TaskRoleArn')).map((r) => r.id), ['TaskRole']);
      assert.deepEqual(tpl.targets(prop(tpl, 'Service', 'TaskDefinition')).map((r) => r.id), ['Task']);
      assert.equal(tpl.isParameter('Env'), true);
      assert.equal(tpl.isParameter('Task'), false);
    }
  });

  it('the same findings', () => {
    const fy = lint(y).map((f) => f.ruleId);
    const fj = lint(j).map((f) => f.ruleId);
    assert.deepEqual(fj, fy);
  });
});

describe('reference and literal readers', () => {
  it('Ref and both GetAtt forms', () => {
    assert.deepEqual(referencesIn(tagValue('!Ref Bucket')).map((r) => [r.target, r.attribute]), [['Bucket', undefined]]);
    assert.deepEqual(referencesIn(tagValue('!GetAtt Role.Arn')).map((r) => [r.target, r.attribute]), [['Role', 'Arn']]);
    assert.deepEqual(referencesIn(tagValue('!GetAtt [Role, Arn]')).map((r) => [r.target, r.attribute]), [['Role', 'Arn']]);
    assert.deepEqual(refs(tagValue('!GetAtt Db.Endpoint.Address')), ['Db.Endpoint.Address']);
    assert.deepEqual(referencesIn(tagValue('!GetAtt Db.Endpoint.Address')).map((r) => [r.target, r.attribute]), [['Db', 'Endpoint.Address']]);
  });

  it('the reference node is the intrinsic itself', () => {
    const node = tagValue('!Ref Bucket');
    assert.equal(referencesIn(node)[0].node, node);
  });

  it('Sub: ${X}, ${X.Attr}, pseudo parameters; ${!Literal} is ignored', () => {
    assert.deepEqual(refs(tagValue('!Sub "${A}-${B.Arn}-${AWS::Region}-${!Literal}-${ Spaced }"')), ['A', 'B.Arn', 'AWS::Region', 'Spaced']);
    assert.deepEqual(refs(tagValue('!Sub "${!A} and ${!B.Arn}"')), []);
    assert.deepEqual(refs(tagValue('!Sub "no variables at all"')), []);
  });

  it('Sub variable maps shadow names and contribute their own references', () => {
    assert.deepEqual(refs(tagValue('!Sub ["${Bucket}/${Other}/${Bucket.Arn}", {Bucket: !Ref RealBucket}]')), ['Other', 'RealBucket']);
    assert.deepEqual(refs(tagValue('!Sub ["${X}", {X: !GetAtt [Role, Arn]}]')), ['Role.Arn']);
    assert.deepEqual(refs(tagValue('{"Fn::Sub": ["${Name}-${Env}", {"Name": "literal"}]}')), ['Env']);
  });

  it('Join, If (both branches), nested intrinsics', () => {
    assert.deepEqual(refs(tagValue('!Join [",", [!Ref A, !GetAtt B.Arn, literal, !Sub "${C}"]]')), ['A', 'B.Arn', 'C']);
    assert.deepEqual(refs(tagValue('!If [Cond, !Ref A, !Ref B]')), ['A', 'B']);
    assert.deepEqual(refs(tagValue('!If [Cond, !If [Other, !Ref A, !Ref B], !Ref C]')), ['A', 'B', 'C']);
  });

  it('branches: both sides of Fn::If, AWS::NoValue dropped', () => {
    const both = branches(tagValue('!If [Cond, !Ref A, !Ref B]'));
    assert.deepEqual(both.map(plain), [{ Ref: 'A' }, { Ref: 'B' }]);
    assert.deepEqual(branches(tagValue('!If [Cond, !Ref A, !Ref AWS::NoValue]')).map(plain), [{ Ref: 'A' }]);
    assert.deepEqual(branches(tagValue('!If [C1, !If [C2, x, !Ref AWS::NoValue], y]')).map(plain), ['x', 'y']);
    assert.deepEqual(branches(tagValue('!Ref AWS::NoValue')), []);
    assert.deepEqual(branches(tagValue('!If [Cond, only-two]')), [], 'a malformed If has no branch');
    assert.deepEqual(branches(tagValue('plain')).map(plain), ['plain']);
    assert.deepEqual(branches(undefined), []);
    assert.equal(isNoValue(tagValue('!Ref AWS::NoValue')), true);
    assert.equal(isNoValue(tagValue('!Ref Other')), false);
  });

  it('directTargets and Template.targets read Ref/GetAtt/If only at the top', () => {
    const tpl = template('Resources:\n  A:\n    Type: AWS::S3::Bucket\n  B:\n    Type: AWS::S3::Bucket\n  U:\n    Type: AWS::SNS::Topic\n    Properties:\n      X: !If [C, !Ref A, !GetAtt B.Arn]\n      Y: !Join ["", [!Ref A]]\n      Z: !If [C, !Ref Param, !Ref AWS::NoValue]\n');
    assert.deepEqual(directTargets(prop(tpl, 'U', 'X')).map((t) => [t.target, t.attribute]), [['A', undefined], ['B', 'Arn']]);
    assert.deepEqual(tpl.targets(prop(tpl, 'U', 'X')).map((r) => r.id), ['A', 'B']);
    assert.deepEqual(tpl.targets(prop(tpl, 'U', 'Y')), []);
    assert.deepEqual(tpl.targets(prop(tpl, 'U', 'Z')), [], 'a parameter is not a resource');
  });

  it('literal and literalValues', () => {
    assert.equal(literal(tagValue('plain')), 'plain');
    assert.equal(literal(tagValue('512')), '512');
    assert.equal(literal(tagValue('"512"')), '512');
    assert.equal(literal(tagValue('true')), 'true');
    assert.equal(literal(tagValue('!Sub "no variables"')), 'no variables');
    assert.equal(literal(tagValue('!Sub "has ${Var}"')), undefined);
    assert.equal(literal(tagValue('!Ref Param')), undefined);
    assert.equal(literal(tagValue('!ImportValue x')), undefined);
    assert.equal(literal(tagValue('!Join ["", [a, b]]')), 'ab', 'a Join of literal parts is literal');
    assert.equal(literal(tagValue('!Join [":", [a, !Sub "b", !Join ["-", [c, d]]]]')), 'a:b:c-d');
    assert.equal(literal(tagValue('!Join ["", [a, !Ref P]]')), undefined);
    assert.equal(literal(tagValue('!Sub ["${X}-y", { X: x }]')), 'x-y', 'Sub variables given literal values');
    assert.equal(literal(tagValue('!Sub ["${X}-${Y}", { X: x }]')), undefined);
    assert.deepEqual(literalPrefixes(tagValue('!Join ["", ["s3://", !Ref Bucket, /data]]')), ['s3://']);
    assert.deepEqual(literalPrefixes(tagValue('!Sub "s3://${Bucket}/data"')), ['s3://']);
    assert.equal(literal(tagValue('!If [C, a, b]')), undefined, 'two possible values are not one literal');
    assert.deepEqual(literalValues(tagValue('!If [C, a, b]')), ['a', 'b']);
    assert.deepEqual(literalValues(tagValue('!If [C, a, !Ref AWS::NoValue]')), ['a']);
    assert.equal(literal(tagValue('!If [C, a, !Ref AWS::NoValue]')), 'a');
    assert.equal(literalValues(tagValue('!If [C, a, !Ref P]')), undefined, 'one unknown branch makes the whole value unknown');
    assert.equal(literal(tagValue('~')), undefined);
    assert.equal(literal(undefined), undefined);
  });

  it('template sections: parameters, conditions, CDK paths, resources without Type are ignored', () => {
    const tpl = template(
      'Parameters:\n  P:\n    Type: String\nConditions:\n  C: !Equals [a, b]\nResources:\n  NoType:\n    Properties: {}\n  L1:\n    Type: AWS::S3::Bucket\n    Metadata:\n      aws:cdk:path: Stack/Bucket/Resource\n  Sub:\n    Type: AWS::S3::BucketPolicy\n    Metadata:\n      aws:cdk:path: Stack/Bucket/Policy/Resource\n',
    );
    assert.ok(tpl instanceof Template);
    assert.equal(tpl.file.kind, 'cdk');
    assert.deepEqual([...tpl.resources.keys()], ['L1', 'Sub']);
    assert.equal(res(tpl, 'L1').cdkPath, 'Stack/Bucket');
    assert.equal(res(tpl, 'Sub').cdkPath, 'Stack/Bucket/Policy');
    assert.deepEqual([...tpl.parameters.keys()], ['P']);
    assert.deepEqual([...tpl.conditions], ['C']);
    assert.equal(tpl.resource(undefined), undefined);
    assert.equal(tpl.resource('L1')?.type, 'AWS::S3::Bucket');
  });
});

describe('kind detection', () => {
  /** @param {string} text @param {import('../../server/src/documents/parse').ParseOptions} [options] */
  const kind = (text, uri = 'file.yaml', options) => parseFile(text, uri, options);

  it('CloudFormation: AWSTemplateFormatVersion alone is enough', () => {
    assert.equal(kind('AWSTemplateFormatVersion: "2010-09-09"\nDescription: empty\n').kind, 'cloudformation');
    assert.equal(kind('{"AWSTemplateFormatVersion": "2010-09-09"}', 'a.json').kind, 'cloudformation');
    const f = kind('AWSTemplateFormatVersion: "2010-09-09"\n');
    assert.equal(tplOf(f).resources.size, 0);
  });

  it('CloudFormation: Resources with AWS:: types, without the version', () => {
    assert.equal(kind('Resources:\n  B:\n    Type: AWS::S3::Bucket\n').kind, 'cloudformation');
    assert.equal(kind('{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}', 'x.template').kind, 'cloudformation');
    assert.equal(kind('Resources:\n  B:\n    Type: Custom::Thing\n').kind, undefined, 'Resources with no AWS:: type is not a template');
    assert.equal(kind('Resources: 3\n').kind, undefined);
  });

  it('CDK: aws:cdk:path metadata', () => {
    const f = kind('{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Metadata": {"aws:cdk:path": "Stack/B/Resource"}}}}', 'Stack.template.json');
    assert.equal(f.kind, 'cdk');
    assert.equal(res(tplOf(f), 'B').cdkPath, 'Stack/B');
    assert.equal(kind('Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Metadata:\n      aws:cdk:path: S/B/Default\n').kind, 'cdk');
  });

  it('Kubernetes: multi-document streams, empty documents, kind: List', () => {
    const stream = '# leading comment\n---\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: prod\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    spec:\n      initContainers: [{name: init, image: busybox}]\n      containers:\n        - name: api\n          image: public.ecr.aws/x/api:1\n---\napiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: cfg}\n  - apiVersion: batch/v1\n    kind: CronJob\n    metadata: {name: nightly}\n    spec:\n      jobTemplate:\n        spec:\n          template:\n            spec:\n              containers: [{name: job, image: x}]\n';
    const f = parseOk(stream, 'k8s.yaml');
    assert.equal(f.kind, 'kubernetes');
    assert.equal(templateOf(f), undefined);
    const objs = k8sObjects(f);
    assert.deepEqual(objs.map((o) => [o.kind, o.name, o.namespace]), [['Service', 'web', 'prod'], ['Deployment', 'api', undefined], ['ConfigMap', 'cfg', undefined], ['CronJob', 'nightly', undefined]]);
    assert.deepEqual(objs.map((o) => o.doc), [1, 2, 3, 3], 'the comment and the first `---` make one empty document');
    assert.equal(podSpec(objs[0]), undefined);
    assert.deepEqual(containers(objs[1]).map((c) => str(get(c, 'name'))), ['init', 'api']);
    assert.deepEqual(containers(objs[3]).map((c) => str(get(c, 'name'))), ['job']);
    // Each object's kind node points into its own document.
    const dep = objs[1];
    assert.deepEqual(f.lines.position(dep.kindNode.start), { line: 10, character: 6 });
  });

  it('a manifest mentioning Resources is still Kubernetes; a CloudFormation template is not Kubernetes', () => {
    assert.equal(kind('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  Resources: x\n').kind, 'kubernetes');
    assert.deepEqual(k8sObjects(kind('Resources:\n  B:\n    Type: AWS::S3::Bucket\n')), []);
  });

  const skipped = [
    ['package.json', JSON.stringify({ name: 'app', version: '1.0.0', scripts: { test: 'mocha' }, dependencies: { yaml: '^2' } }, null, 2)],
    ['tsconfig.json', '{\n  // comments are allowed in tsconfig\n  "compilerOptions": { "strict": true, /* out */ "outDir": "dist", },\n  "include": ["src"],\n}\n'],
    ['.github/workflows/ci.yml', 'name: CI\non: [push, pull_request]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci && npm test\n'],
    ['docker-compose.yml', 'services:\n  web:\n    image: nginx:1.27\n    ports: ["80:80"]\n    deploy:\n      resources:\n        limits: {cpus: "0.5"}\n'],
    ['chart/templates/svc.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "chart.fullname" . }}-svc\n{{- if .Values.labels }}\n  labels: {{ toYaml .Values.labels | nindent 4 }}\n{{- end }}\n'],
    ['binary.yaml', 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n\0\0\0\u0001\u0002'],
    ['notes.yaml', 'title: Resources we use\nitems: [a, b]\n'],
    ['empty.yaml', ''],
  ];
  for (const [uri, text] of skipped) {
    it(`skips ${uri}`, () => {
      const f = parseFile(text, uri);
      assert.equal(f.kind, undefined);
      assert.equal(typeof f.skipped, 'string');
      assert.deepEqual(f.docs, []);
      assert.deepEqual(f.errors, [], 'a skipped file reports no syntax errors');
      assert.deepEqual(lint(f), []);
      assert.equal(templateOf(f), undefined);
      assert.deepEqual(k8sObjects(f), []);
    });
  }

  it('says why a file was skipped', () => {
    assert.match(defined(parseFile(skipped[4][1], skipped[4][0]).skipped), /helm|go template/i);
    assert.match(defined(parseFile(skipped[5][1], skipped[5][0]).skipped), /binary/i);
  });

  it('a manifest whose {{ }} are whole values parses (outside a chart): they are placeholder text, and no rule reports them', () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Values.name }}\n  namespace: {{namespace}}\nspec:\n  replicas: {{ .Values.replicas }}\n  template:\n    spec:\n      containers:\n        - name: app\n          image: {{image}}\n        - name: side\n          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"\n';
    const f = parseFile(text, 'chart/templates/deployment.yaml');
    assert.equal(f.kind, 'kubernetes');
    assert.deepEqual(f.errors, []);
    const [obj] = k8sObjects(f);
    assert.equal(obj.namespace, '{{namespace}}');
    assert.deepEqual(lint(f), []);
    // As a key it stays an error (`{{ toYaml .Values.x }}` on a line of its own is no pair).
    assert.ok(parseYaml('a: 1\n{{ toYaml .Values.x }}\n').errors.length);
  });

  it('CloudFormation dynamic references {{resolve:...}} are not Go templates', () => {
    const f = parseFile('apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  pw: "{{resolve:secretsmanager:db:SecretString:password}}"\n', 'secret.yaml');
    assert.equal(f.kind, 'kubernetes');
    const c = parseFile('Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MasterUserPassword: "{{resolve:secretsmanager:db:SecretString:password}}"\n', 'db.yaml');
    assert.equal(c.kind, 'cloudformation');
  });

  it('skips files over maxSize, and the default limit is 10 MB', () => {
    const text = 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n' + '# padding\n'.repeat(500);
    assert.equal(parseFile(text, 'big.yaml').kind, 'cloudformation');
    const f = parseFile(text, 'big.yaml', { maxSize: 1024 });
    assert.equal(f.kind, undefined);
    assert.match(defined(f.skipped), /larger than/);
    assert.equal(parseFile(text, 'big.yaml', { maxSize: text.length }).kind, 'cloudformation');
    assert.equal(DEFAULT_MAX_SIZE, 10 * 1024 * 1024);
  });

  it('decides JSON vs YAML from the extension or the first character', () => {
    assert.equal(parseFile('{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}', 'x.template').format, 'json');
    assert.equal(parseFile('  \n [] ', 'x.yaml').format, 'json');
    assert.equal(parseFile('Resources: {}\n', 'x.template').format, 'yaml');
  });
});

describe('syntax errors', () => {
  /** @param {import('../../server/src/index').ParsedFile} f */
  const ids = (f) => [...(templateOf(f)?.resources.keys() ?? [])];
  /** @param {import('../../server/src/index').ParsedFile} f */
  const within = (f) => {
    for (const e of f.errors) {
      assert.ok(e.start >= 0 && e.start <= f.text.length && e.end > e.start && e.end <= f.text.length + 1, `error range ${e.start}-${e.end} in ${f.text.length} chars`);
      assert.equal(typeof e.message, 'string');
    }
  };

  it('YAML: an unterminated quoted string is an error; what parsed is still a model and linted', () => {
    const f = parseFile('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: "unterminated\n', 'bad.yaml');
    assert.equal(f.kind, 'cloudformation');
    assert.ok(f.errors.length > 0);
    within(f);
    assert.deepEqual(ids(f), ['Task', 'B']);
    const findings = lint(f);
    const syntax = findings.find((x) => x.ruleId === 'syntax-error');
    assert.ok(syntax, 'a syntax-error finding');
    assert.equal(syntax.severity, 'error');
    assert.match(syntax.message, /YAML syntax error/);
    assert.ok(findings.some((x) => x.ruleId === 'ecs-task-role-missing'), 'rules still run on what parsed');
  });

  it('YAML: an unclosed flow sequence is an error', () => {
    const f = parseFile('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags: [a, b\n  Task:\n    Type: AWS::ECS::TaskDefinition\n', 'bad.yaml');
    assert.equal(f.kind, 'cloudformation');
    assert.ok(f.errors.length > 0, 'no syntax error reported for `Tags: [a, b` that is never closed');
    within(f);
    assert.ok(ids(f).includes('B'));
  });

  it('YAML: an unclosed flow map is an error', () => {
    const f = parseFile('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: x\n', 'bad.yaml');
    assert.equal(f.kind, 'cloudformation');
    assert.ok(f.errors.length > 0, 'no syntax error reported for `Properties: {BucketName: x` that is never closed');
    assert.deepEqual(ids(f), ['Task', 'B']);
  });

  it('YAML: a key indented less than its siblings is an error', () => {
    const f = parseFile('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Family: web\n     Cpu: 256\n', 'bad.yaml');
    assert.equal(f.kind, 'cloudformation');
    assert.ok(f.errors.length > 0, 'no syntax error reported for a mis-indented key (`     Cpu: 256` under `      Family: web`)');
  });

  it('YAML: a tab used as indentation is an error', () => {
    const f = parseFile('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n\tB: x\n', 'bad.yaml');
    assert.equal(f.kind, 'cloudformation');
    assert.ok(f.errors.length > 0, 'no syntax error reported for a tab-indented line');
  });

  it('YAML: an unknown alias is an error', () => {
    const f = parseFile('Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: *missing\n', 'bad.yaml');
    assert.deepEqual(f.errors.map((e) => e.message), ['Unknown alias *missing.']);
    assert.equal(f.errors[0].start, f.text.indexOf('*missing'));
  });

  it('JSON: a broken template gives errors and a model of what parsed', () => {
    const f = parseFile('{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Task": {"Type": "AWS::ECS::TaskDefinition"}, "B": {"Type": "AWS::S3::Bucket", "Properties": {"Tags": [1, 2,, }', 'bad.json');
    assert.equal(f.kind, 'cloudformation');
    assert.ok(f.errors.length > 0);
    within(f);
    assert.deepEqual(ids(f), ['Task', 'B']);
    const findings = lint(f);
    assert.ok(findings.some((x) => x.ruleId === 'syntax-error' && /JSON syntax error/.test(x.message)));
    assert.ok(findings.some((x) => x.ruleId === 'ecs-task-role-missing'));
  });

  it('JSON: missing colon, missing comma, trailing content, bad escape, raw line break in a string', () => {
    for (const text of [
      '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Task": {"Type" "AWS::ECS::TaskDefinition"}}}',
      '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Task": {"Type": "AWS::ECS::TaskDefinition"} "B": {}}}',
      '{"Resources": {"Task": {"Type": "AWS::ECS::TaskDefinition"}}} trailing',
      '{"Resources": {"Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"Family": "a\\qb"}}}}',
      '{"Resources": {"Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"Family": "a\nb"}}}}',
    ]) {
      const f = parseFile(text, 'bad.json');
      assert.equal(f.kind, 'cloudformation', text);
      assert.ok(f.errors.length > 0, text);
      within(f);
    }
  });

  it('JSON: comments and trailing commas are reported but the content is read', () => {
    const { root, errors } = parseJson('{"a": 1, /* c */ "b": [1, 2,], // x\n}');
    assert.deepEqual(plain(root), { a: 1, b: [1, 2] });
    assert.deepEqual(errors.map((e) => e.message), ['Comments are not allowed in JSON.', 'Trailing comma in array.', 'Comments are not allowed in JSON.', 'Trailing comma in object.']);
  });

  it('parseJson: values, escapes and offsets', () => {
    const text = '{"s": "a\\n\\u00e9\\"", "n": -1.5e2, "t": true, "z": null, "e": [], "o": {}}';
    const { root, errors } = parseJson(text);
    assert.deepEqual(errors, []);
    assert.deepEqual(plain(root), { s: 'a\né"', n: -150, t: true, z: null, e: [], o: {} });
    assert.equal(defined(root).start, 0);
    assert.equal(defined(root).end, text.length);
    assert.equal(defined(get(root, 's')).start, text.indexOf('"a'));
  });

  it('parseYaml: documents with start/end offsets, and no throw on garbage', () => {
    const text = 'a: 1\n---\nb: 2\n...\n---\nc: 3\n';
    const { docs, errors } = parseYaml(text);
    assert.deepEqual(errors, []);
    assert.deepEqual(docs.map((d) => plain(d.root)), [{ a: 1 }, { b: 2 }, { c: 3 }]);
    assert.equal(docs[0].start, 0);
    for (let i = 0; i + 1 < docs.length; i++) assert.equal(docs[i].end, docs[i + 1].start);
    assert.equal(docs[docs.length - 1].end, text.length);
    for (const garbage of ['[', '{', ': :', '- - - ]', '"', "'", '&a *a', '!Ref', '? [a]\n: b', '%YAML 9.9\n---\n', '\t\t- x']) {
      assert.doesNotThrow(() => parseYaml(garbage), JSON.stringify(garbage));
      assert.doesNotThrow(() => parseFile(`Resources:\n  X: ${garbage}\n`, 'g.yaml'), JSON.stringify(garbage));
    }
  });

  it('YAML core schema: quoted scalars stay strings, plain ones are typed', () => {
    const tpl = template('Resources:\n  R:\n    Type: AWS::S3::Bucket\n    Properties:\n      A: "true"\n      B: true\n      C: 0777\n      D: 1e3\n      E: ~\n      F: "~"\n');
    assert.equal(scalar(prop(tpl, 'R', 'A')).value, 'true');
    assert.equal(scalar(prop(tpl, 'R', 'B')).value, true);
    assert.equal(scalar(prop(tpl, 'R', 'C')).value, '0777');
    assert.equal(scalar(prop(tpl, 'R', 'D')).value, 1000);
    assert.equal(scalar(prop(tpl, 'R', 'E')).value, null);
    assert.equal(scalar(prop(tpl, 'R', 'F')).value, '~');
  });
});

describe('hostile input', () => {
  /** @template T @param {() => T} fn */
  function timed(fn) {
    const t0 = process.hrtime.bigint();
    const result = fn();
    return { result, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
  }

  it('an alias bomb (billion laughs, 9 levels) parses, lints and walks without expanding', () => {
    let text = 'AWSTemplateFormatVersion: "2010-09-09"\nMetadata:\n  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    const letters = 'abcdefghi';
    for (let i = 1; i < letters.length; i++) text += `  ${letters[i]}: &${letters[i]} [${Array(9).fill('*' + letters[i - 1]).join(',')}]\n`;
    text += 'Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Family: *i\n      Tags: *i\n';
    const { result: f, ms } = timed(() => {
      const file = parseFile(text, 'bomb.yaml');
      lint(file);
      return file;
    });
    assert.ok(ms < 2000, `took ${ms} ms`);
    assert.equal(f.kind, 'cloudformation');
    assert.deepEqual(f.errors, []);
    const family = defined(prop(tplOf(f), 'Task', 'Family'), 'Family');
    assert.equal(family.kind, 'alias');
    assert.equal(deref(family)?.kind, 'seq');
    assert.equal(literal(family), undefined);
    let visited = 0;
    walk(f.docs[0].root, () => void visited++);
    assert.ok(visited < 200, `walk visited ${visited} nodes: aliases must not be followed`);
    const refsMs = timed(() => referencesIn(f.docs[0].root)).ms;
    assert.ok(refsMs < 1000, `referencesIn took ${refsMs} ms`);
    assert.ok(lint(f).some((x) => x.ruleId === 'ecs-task-role-missing'));
  });

  const HEADER = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\nMetadata:\n';
  // [name, uri, text, closed]: when every bracket is closed, the depth error is the one reported.
  /** @type {[string, string, string, boolean][]} */
  const deep = [
    ['JSON [ x 100000 (unclosed)', 'deep.json', '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Task": {"Type": "AWS::ECS::TaskDefinition"}}, "Metadata": ' + '['.repeat(100000), false],
    ['JSON [ x 100000 ] x 100000', 'deep.json', '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Task": {"Type": "AWS::ECS::TaskDefinition"}}, "Metadata": ' + '['.repeat(100000) + ']'.repeat(100000) + '}', true],
    ['JSON {"a": x 100000', 'deep.json', '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Task": {"Type": "AWS::ECS::TaskDefinition"}}, "Metadata": ' + '{"a": '.repeat(100000), false],
    ['YAML [ x 100000', 'deep.yaml', HEADER + '  x: ' + '['.repeat(100000) + '\n', false],
    ['YAML [ x 100000 ] x 100000', 'deep.yaml', HEADER + '  x: ' + '['.repeat(100000) + ']'.repeat(100000) + '\n', true],
    ['YAML {a: x 100000', 'deep.yaml', HEADER + '  x: ' + '{a: '.repeat(100000) + '\n', false],
    ['YAML "- " x 100000 (compact block sequences)', 'deep.yaml', HEADER + '  x:\n    ' + '- '.repeat(100000) + 'x\n', true],
    // Indentation grows with depth, so block maps nest as deep as fits in a few MB.
    ['YAML a:\\n a:\\n ... 4000 levels', 'deep.yaml', HEADER + Array.from({ length: 4000 }, (_, i) => ' '.repeat(i + 2) + 'a:\n').join(''), true],
  ];
  for (const [name, uri, text, closed] of deep) {
    it(`${name}: no throw, no hang, an error reported, model kept`, () => {
      const { result, ms } = timed(() => {
        const f = parseFile(text, uri);
        return { f, findings: lint(f) };
      });
      assert.ok(ms < 5000, `took ${ms} ms`);
      const { f, findings } = result;
      assert.equal(f.kind, 'cloudformation');
      assert.ok(f.errors.length > 0 && f.errors.length <= 20, `${f.errors.length} errors`);
      // Unclosed brackets are reported first (errors are capped); closed ones leave only the depth error.
      if (closed) assert.ok(f.errors.some((e) => /Nesting deeper than/.test(e.message)), JSON.stringify(f.errors.slice(0, 3)));
      assert.ok(tplOf(f).resources.has('Task'));
      assert.ok(findings.some((x) => x.ruleId === 'syntax-error'));
      assert.ok(!findings.some((x) => x.ruleId === 'internal-error'), 'no rule crashed');
    });
  }

  it('a bare [ x 100000 with no template hint is skipped at once', () => {
    const { result: f, ms } = timed(() => parseFile('['.repeat(100000), 'x.json'));
    assert.equal(f.kind, undefined);
    assert.ok(ms < 1000, `took ${ms} ms`);
  });

  it('maxDepth is configurable', () => {
    const text = '{"AWSTemplateFormatVersion": "2010-09-09", "Metadata": ' + '['.repeat(20) + ']'.repeat(20) + '}';
    assert.deepEqual(parseFile(text, 'a.json').errors, []);
    assert.ok(parseFile(text, 'a.json', { maxDepth: 10 }).errors.some((e) => /Nesting deeper than 10/.test(e.message)));
    const yaml = 'AWSTemplateFormatVersion: "2010-09-09"\nMetadata: ' + '['.repeat(20) + ']'.repeat(20) + '\n';
    assert.deepEqual(parseFile(yaml, 'a.yaml').errors, []);
    assert.ok(parseFile(yaml, 'a.yaml', { maxDepth: 10 }).errors.some((e) => /Nesting deeper than 10/.test(e.message)));
  });
});
