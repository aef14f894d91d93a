// @ts-check
// Rule wording read from the findings themselves: headlines short enough for one line of a problems list,
// the detail carrying the why and the how in the reader's terms, and severities that match the risk.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { parseFile, lint, RULES } = require('../helpers/engine');

/** @param {string} text @param {string} name @param {string} rule */
const findings = (text, name, rule) => lint(parseFile(text, name), { rules: RULES }).filter((f) => f.ruleId === rule);
/** @param {string} rule @param {string} file */
const fixture = (rule, file) => {
  const p = path.join(__dirname, '..', 'rules', rule, file);
  return findings(fs.readFileSync(p, 'utf8'), p, rule);
};

describe('rule messages', () => {
  it('every message template is a headline of at most 100 characters besides its placeholders', () => {
    for (const rule of RULES) {
      for (const [id, template] of Object.entries(rule.meta.messages)) {
        const fixed = template.replace(/\{\{\s*\w+\s*\}\}/g, '');
        assert.ok(fixed.length <= 100, `${rule.meta.id}/${id} (${fixed.length}): ${template}`);
        assert.doesNotMatch(template, /\bthe KB\b/, `${rule.meta.id}/${id}`);
      }
    }
  });

  it('a Fargate error on a task definition that also lists EC2 says that dropping FARGATE clears it', () => {
    for (const rule of ['ecs-fargate-host-volume', 'ecs-fargate-network-mode', 'ecs-fargate-task-size']) {
      const [f] = fixture(rule, 'fires-ec2-and-fargate.yaml');
      assert.ok(f, rule);
      assert.ok(f.message.length <= 100, f.message);
      assert.match(f.detail ?? '', /also lists EC2: if it is meant for EC2 only, drop FARGATE from `RequiresCompatibilities`/, rule);
    }
    // FARGATE alone, or EC2 and FARGATE as alternatives under Fn::If: no such advice.
    const alone = 'Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      RequiresCompatibilities: [FARGATE]\n      Cpu: "256"\n      Memory: "512"\n';
    const alternatives = 'Parameters:\n  Fargate: { Type: String }\nConditions:\n  UseFargate: !Equals [!Ref Fargate, "yes"]\n' + alone.replace('[FARGATE]', '!If [UseFargate, [FARGATE], [EC2]]');
    for (const text of [alone, alternatives]) {
      const [f] = findings(text, 't.yaml', 'ecs-fargate-network-mode');
      assert.ok(f);
      assert.doesNotMatch(f.detail ?? '', /drop FARGATE/);
    }
  });

  it('Fargate details use the ECS API names in task definition JSON and construct names in CDK output', () => {
    const json = JSON.stringify({ family: 'web', requiresCompatibilities: ['EC2', 'FARGATE'], volumes: [{ name: 'data', host: { sourcePath: '/data' } }], containerDefinitions: [{ name: 'web', image: 'public.ecr.aws/docker/library/httpd:2.4', memory: 256 }] }, null, 2);
    const [volume] = findings(json, 'web-taskdef.json', 'ecs-fargate-host-volume');
    assert.ok(volume);
    assert.match(volume.detail ?? '', /host\.sourcePath/);
    assert.match(volume.detail ?? '', /`efsVolumeConfiguration`/);
    assert.match(volume.detail ?? '', /drop FARGATE from `requiresCompatibilities`/);
    const [mode] = findings(json, 'web-taskdef.json', 'ecs-fargate-network-mode');
    assert.match(mode.message, /sets no networkMode/);
    const [size] = findings(json, 'web-taskdef.json', 'ecs-fargate-task-size');
    assert.match(size.detail ?? '', /cpu: "256" with memory: "512"/);
    const [cdk] = fixture('ecs-fargate-task-size', 'fires-cdk.json');
    assert.doesNotMatch(cdk.detail ?? '', /drop FARGATE/);
  });

  it('Docker official images get their ECR Public mirror', () => {
    const [jetty, zookeeper] = fixture('image-from-docker-hub', 'fires-library.yaml');
    assert.match(jetty.message, /use public\.ecr\.aws\/docker\/library\/jetty$/);
    assert.match(zookeeper.message, /use public\.ecr\.aws\/docker\/library\/zookeeper:3\.9$/);
  });

  it('a writable Mountpoint for S3 volume is a hint (a supported choice with limits), what cannot work a warning', () => {
    const pv = 'apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: s3-pv\nspec:\n  capacity: { storage: 10Gi }\n  accessModes: [ReadWriteMany]\n  csi:\n    driver: s3.csi.aws.com\n    volumeHandle: s3-volume\n    volumeAttributes: { bucketName: data }\n';
    const [f] = findings(pv, 'pv.yaml', 'k8s-s3-volume');
    assert.equal(f.messageId, 'mountpoint');
    assert.equal(f.severity, 'hint');
    const sc = 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: s3\nprovisioner: s3.csi.aws.com\n';
    assert.equal(findings(sc, 'sc.yaml', 'k8s-s3-volume')[0].severity, 'warning');
  });

  it('CDK output gets CDK advice: EKS observability and registry scanning', () => {
    const [eks] = fixture('eks-container-insights-missing', 'fires-cdk.json');
    assert.match(eks.detail ?? '', /new eks\.Addon\(this, 'Observability', \{ cluster, addonName: 'amazon-cloudwatch-observability' \}\)/);
    assert.match(eks.detail ?? '', /clusterLogging/);
    assert.doesNotMatch(eks.detail ?? '', /AWS::EKS::Addon|!Ref/);
    const [plain] = fixture('eks-container-insights-missing', 'fires.yaml');
    assert.match(plain.detail ?? '', /AWS::EKS::Addon/);
    const [scan] = fixture('ecr-scan-on-push-disabled', 'fires-cdk.json');
    assert.match(scan.detail ?? '', /ecr\.CfnRegistryScanningConfiguration/);
    assert.match(scan.detail ?? '', /`imageScanOnPush: true`/);
  });
});
