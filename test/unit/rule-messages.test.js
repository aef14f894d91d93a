// @ts-check
// Rule wording read from the findings themselves: headlines short enough for one line of a problems list,
// the detail carrying the why and the how in the reader's terms, and severities that match the risk.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { parseFile, lint, RULES } = require('../helpers/engine');
const { defined } = require('../helpers/expect');

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

  it('a Docker Hub pull names a container named by a parameter as written, and the limit of pulls with credentials', () => {
    const f = defined(fixture('image-from-docker-hub', 'fires.yaml').find((x) => x.message.includes('laser/helloworld-http')));
    assert.equal(f.message, 'Container ${AppName} pulls laser/helloworld-http:1.0 from Docker Hub: push it to Amazon ECR');
    assert.match(defined(f.detail), /^Docker Hub is a public registry outside your AWS account, and pulls count against the Docker Hub account's rate limit \(these pull with registry credentials\)/);
  });

  it("the AL2 advice for an eks.Cluster's default capacity, which takes no amiType: the feature flag or a node group of its own", () => {
    const [f] = fixture('eks-nodegroup-al2-ami', 'fires-cdk-default-capacity.json');
    assert.equal(f.message, 'Node group Cluster/NodegroupDefaultCapacity runs Amazon Linux 2 (AL2_x86_64), out of support since 26 November 2025');
    assert.match(defined(f.detail), /feature flag `"@aws-cdk\/aws-eks:defaultToAL2023": true` in `cdk\.json`, or set `defaultCapacity: 0` and add the nodes with `cluster\.addNodegroupCapacity\('Nodes', \{ amiType: eks\.NodegroupAmiType\.AL2023_X86_64_STANDARD \}\)`/);
    const [plain] = fixture('eks-nodegroup-al2-ami', 'fires.yaml');
    assert.match(defined(plain.detail), /Set `AmiType` to `AL2023_x86_64_STANDARD` \(Amazon Linux 2023\)/);
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

  it('Docker official images get their ECR Public mirror (named in the detail and the quick fix, not the headline)', () => {
    const [jetty, zookeeper] = fixture('image-from-docker-hub', 'fires-library.yaml');
    assert.match(jetty.message, /^Container \S+ pulls jetty \(untagged\) from Docker Hub: use ECR Public$/);
    assert.match(jetty.detail ?? '', /use public\.ecr\.aws\/docker\/library\/jetty,/);
    assert.match(zookeeper.detail ?? '', /use public\.ecr\.aws\/docker\/library\/zookeeper:3\.9,/);
    assert.equal(zookeeper.data?.replacement, 'public.ecr.aws/docker/library/zookeeper:3.9');
    // A Docker Hub digest need not exist on ECR Public: no quick fix, and the address is given without it.
    const [digest] = fixture('image-from-docker-hub', 'fires-digest.yaml');
    assert.equal(digest.data, undefined);
    assert.match(digest.detail ?? '', /use public\.ecr\.aws\/docker\/library\/redis:7\.2 pinned to the digest ECR Public lists/);
  });

  it('a Mountpoint for S3 volume gets an info only for a change (a supported choice with limits), what cannot work a warning', () => {
    const pv = 'apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: s3-pv\nspec:\n  capacity: { storage: 10Gi }\n  accessModes: [ReadWriteMany]\n  claimRef: { namespace: default, name: data }\n  csi:\n    driver: s3.csi.aws.com\n    volumeHandle: s3-volume\n    volumeAttributes: { bucketName: data }\n';
    const ids = (/** @type {string} */ text) => findings(text, 'pv.yaml', 'k8s-s3-volume').map((f) => `${f.messageId} ${f.severity}`);
    // Nobody in the file writes to it: only the missing region is a change to make.
    assert.deepEqual(ids(pv), ['noRegion info']);
    const writer = '---\napiVersion: v1\nkind: Pod\nmetadata: { name: app }\nspec:\n  containers: [{ name: app, image: app:1, volumeMounts: [{ name: d, mountPath: /d }] }]\n  volumes: [{ name: d, persistentVolumeClaim: { claimName: data } }]\n';
    // Written to and no region: one finding for the volume.
    assert.deepEqual(ids(pv + writer), ['writeOptionsNoRegion info']);
    assert.deepEqual(ids(pv.replace('  csi:', '  mountOptions: [region eu-west-1]\n  csi:') + writer), ['writeOptions info']);
    assert.deepEqual(ids(pv.replace('  csi:', '  mountOptions: [allow-delete, allow-overwrite, region eu-west-1]\n  csi:') + writer), []);
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

  it('Docker Hub details say pods for Kubernetes and tasks for ECS; a moved Bitnami tag names where it went', () => {
    const [k8s] = fixture('image-from-docker-hub', 'fires-k8s.yaml');
    assert.match(k8s.detail ?? '', /so the pods of Deployment\/\S+ can fail to start \(ErrImagePull, then ImagePullBackOff\)/);
    assert.doesNotMatch(k8s.detail ?? '', /task/);
    const [ecs] = fixture('image-from-docker-hub', 'fires.yaml');
    assert.match(ecs.detail ?? '', /so the tasks of task definition \S+ can fail to start when/);
    const [dns] = fixture('image-from-docker-hub', 'fires-bitnami.yaml');
    assert.equal(dns.severity, 'warning');
    assert.match(dns.detail ?? '', /github\.com\/bitnami\/containers\/issues\/83267/);
    assert.match(dns.detail ?? '', /docker\.io\/bitnamilegacy\/external-dns:0\.13\.1 only works as a stopgap/);
  });

  it('k8s-in-tree-ebs details quote the class and the volume as they are', () => {
    const [sc, , io1] = fixture('k8s-in-tree-ebs', 'fires.yaml');
    assert.match(sc.detail ?? '', /type gp2 carries over and fsType becomes csi\.storage\.k8s\.io\/fstype\./);
    assert.match(sc.detail ?? '', /Consider type gp3/);
    assert.doesNotMatch(io1.detail ?? '', /gp3/);
    const [zone] = fixture('k8s-in-tree-ebs', 'fires-fix.yaml');
    assert.match(zone.detail ?? '', /type io1 and iopsPerGB carry over, fsType becomes csi\.storage\.k8s\.io\/fstype and zone us-east-1d moves to allowedTopologies on topology\.kubernetes\.io\/zone/);
    const [unsupported] = fixture('k8s-in-tree-ebs', 'fires-no-fix.yaml');
    assert.match(unsupported.detail ?? '', /replicas has no EBS CSI equivalent/);
    const volumes = fixture('k8s-in-tree-ebs', 'fires.yaml').filter((f) => f.messageId !== 'inTreeProvisioner');
    assert.match(volumes[0].detail ?? '', /volumeHandle: vol-0123456789abcdef0, fsType: ext4 \}/);
    assert.match(volumes[1].detail ?? '', /To keep its data, declare a static PersistentVolume with csi: \{ driver: ebs\.csi\.aws\.com, volumeHandle: vol-0123456789abcdef0 \}/);
  });

  it('another cloud\'s class beside an AWS class of the same name names the AWS one', () => {
    // Without the folder's workspace (the fixture tester gives it), only the class in the same file is seen.
    const [azure] = fixture('k8s-storageclass-unknown-provisioner', 'variants/fires-gce-pd.yaml').filter((f) => f.messageId === 'platformVariant');
    assert.equal(azure.severity, 'hint');
    assert.equal(azure.message, 'StorageClass/fast is the Azure variant of a class also defined for AWS: use that one on EKS');
    assert.match(azure.detail ?? '', /^disk\.csi\.azure\.com is the Azure Disk CSI driver\. StorageClass fast is also defined with ebs\.csi\.aws\.com \(in this file\), so this file is the same class written for Azure/);
  });

  it('StorageClass headlines name the platform or the provisioner, the details say what it is and when it was removed', () => {
    const variants = fixture('k8s-storageclass-unknown-provisioner', 'variants/fires-gce-pd.yaml');
    const gce = variants.find((f) => f.message.startsWith('StorageClass/slow ') && f.messageId === 'otherCloud');
    assert.equal(gce?.message, 'StorageClass/slow is written for Google Cloud: it cannot provision volumes on EKS');
    assert.match(gce?.detail ?? '', /^kubernetes\.io\/gce-pd is GCE's in-tree Persistent Disk plugin \(removed in 1\.28\)\. This class was written for Google Cloud: /);
    const [local] = fixture('k8s-storageclass-unknown-provisioner', 'fires.yaml').filter((f) => f.messageId === 'nodeLocal');
    assert.equal(local.message, "StorageClass/local-path uses Rancher's local-path provisioner: node-local storage for a dev cluster");
    assert.match(local.detail ?? '', /^rancher\.io\/local-path is Rancher's local-path provisioner \(node-local directories\)\. /);
  });

  it('another cloud\'s class in a folder named for that cloud is its variant, however the path is written', () => {
    const azure = 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: { name: managedssd }\nprovisioner: kubernetes.io/azure-disk\n';
    const ids = (/** @type {string} */ name) => findings(azure, name, 'k8s-storageclass-unknown-provisioner').map((f) => `${f.messageId} ${f.severity}`);
    // The LSP's URIs (a Windows drive encoded), the CLI's paths with either separator, relative or not.
    for (const name of ['file:///c%3A/src/examples/volumes/azure_disk/claim/sc.yaml', 'file:///home/me/k8s/aks/sc.yaml', 'C:\\src\\volumes\\azure_disk\\sc.yaml', 'volumes/AzureDisk/sc.yaml', 'vscode-vfs://github/org/repo/azurefile/sc.yaml']) {
      assert.deepEqual(ids(name), ['platformFolder hint'], name);
    }
    // A folder named for another platform, a word that only contains the name, the file's own name, a URI's host.
    for (const name of ['file:///src/volumes/gce/sc.yaml', 'C:\\src\\tasks\\sc.yaml', 'volumes/azure_disk.yaml', 'vscode-vfs://azure/repo/sc.yaml', 'untitled:Untitled-1']) {
      assert.deepEqual(ids(name), ['otherCloud info'], name);
    }
    const [f] = findings(azure, 'file:///c%3A/src/volumes/azure_disk/sc.yaml', 'k8s-storageclass-unknown-provisioner');
    assert.equal(f.message, 'StorageClass/managedssd is the Azure variant (folder azure_disk): use an AWS StorageClass on EKS');
    assert.match(f.detail ?? '', /^kubernetes\.io\/azure-disk is Azure Disk's in-tree plugin \(removed in 1\.27\)\. The file sits in folder azure_disk, named for Azure/);
  });

  it('a Mountpoint volume written without the write options says which operations fail and who writes', () => {
    const all = fixture('k8s-s3-volume', 'fires.yaml');
    const [writes] = all.filter((f) => f.messageId === 'writeOptions');
    assert.equal(writes.message, 'PersistentVolume/s3-pv is mounted writable: overwrites fail without allow-overwrite');
    assert.match(writes.detail ?? '', /^The volume mounts bucket my-bucket, and Deployment\/writer mounts it without readOnly\. Without the allow-overwrite mount option, overwriting an existing file fails\./);
    assert.doesNotMatch(writes.detail ?? '', /region/);
    assert.deepEqual(writes.related.map((r) => r.message), ['Deployment/writer mounts volume data (claim s3-claim) writable']);
    // Both missing: one headline that names both, both explanations, the writers as related locations.
    const [both] = all.filter((f) => f.messageId === 'writeOptionsNoRegion');
    assert.equal(both.message, 'PersistentVolume/s3-bare is mounted writable without allow-delete/allow-overwrite, and sets no region');
    assert.match(both.detail ?? '', /^The volume mounts bucket my-outputs, and Pod\/exporter mounts it without readOnly\. Without the allow-delete\/allow-overwrite mount options, deleting a file or overwriting an existing file fails\./);
    assert.match(both.detail ?? '', /It sets no region mount option either\. Without it Mountpoint reads the region from instance metadata, which driver v2 .* IMDS hop limit of 2 or more/);
    assert.deepEqual(both.related.map((r) => r.message), ['Pod/exporter mounts volume out (claim outputs) writable']);
    assert.equal(all.filter((f) => f.message.startsWith('PersistentVolume/s3-bare ')).length, 1);
    const [noRegion] = all.filter((f) => f.messageId === 'noRegion');
    assert.equal(noRegion.message, 'PersistentVolume/s3-dataset sets no region mount option: Mountpoint then needs instance metadata to find it');
    assert.match(noRegion.detail ?? '', /IMDS hop limit of 2 or more/);
    assert.match(noRegion.detail ?? '', /existing files cannot be edited in place or appended to/);
  });

  it('a task without a task role running only public images on EC2 is a warning that leads with blocking instance metadata, per network mode', () => {
    const byId = new Map(fixture('ecs-task-role-missing', 'fires.yaml').map((f) => [f.data?.resource, f]));
    const get = (/** @type {string} */ id) => {
      const f = byId.get(id);
      assert.ok(f, id);
      if (f.messageId === 'instanceMetadata') assert.ok(f.message.length <= 100, f.message);
      return f;
    };
    const bridge = get('NoRole');
    assert.equal(bridge.severity, 'warning');
    assert.equal(bridge.message, 'Task definition NoRole can reach the instance role: block its access to instance metadata');
    assert.match(bridge.detail ?? '', /public image \(`public\.ecr\.aws\/nginx\/nginx:1\.27`\)/);
    assert.match(bridge.detail ?? '', /in `bridge` mode, add an iptables rule .*`169\.254\.169\.254`/);
    assert.doesNotMatch(bridge.detail ?? '', /ECS_AWSVPC_BLOCK_IMDS/);
    assert.match(bridge.detail ?? '', /set `TaskRoleArn` to a role trusted by `ecs-tasks\.amazonaws\.com` with no policies/);
    const awsvpc = get('Ec2AndFargate');
    assert.match(awsvpc.detail ?? '', /in `awsvpc` mode, set `ECS_AWSVPC_BLOCK_IMDS=true`/);
    assert.doesNotMatch(awsvpc.detail ?? '', /iptables/);
    const host = get('HostMode');
    assert.match(host.message, /leave host mode to block instance metadata$/);
    assert.match(host.detail ?? '', /`httpd:2\.4`, `busybox` and `docker\.elastic\.co\/kibana\/kibana:6\.0\.0`/);
    assert.match(host.detail ?? '', /In `host` mode the containers' access to instance metadata cannot be blocked/);
    assert.match(host.detail ?? '', /ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST=true/);
    // NetworkMode under Fn::If: each mode it can be.
    const either = get('EitherMode');
    assert.match(either.detail ?? '', /in `awsvpc` mode, set `ECS_AWSVPC_BLOCK_IMDS=true`.*; in `bridge` mode, add an iptables rule/);
    assert.doesNotMatch(either.detail ?? '', /`host` mode/);
    // Only the network mode of the EC2 branch (Fargate runs awsvpc, with no instance role to reach).
    const ec2Branch = get('FargateOrEc2');
    assert.match(ec2Branch.detail ?? '', /in `bridge` mode, add an iptables rule/);
    assert.doesNotMatch(ec2Branch.detail ?? '', /ECS_AWSVPC_BLOCK_IMDS/);
    // The team's own image keeps the warning, and its detail now says what applies to its network mode too.
    const own = get('OwnPrivateEcrImage');
    assert.equal(own.severity, 'warning');
    assert.match(own.detail ?? '', /in `bridge` mode, add an iptables rule/);
    const consul = get('ConsulRetryJoin');
    assert.equal(consul.severity, 'warning');
    assert.match(consul.message, /container consul calls AWS \(go-discover provider=aws: ec2:DescribeInstances\)$/);
  });

  it('task role advice speaks CDK in CDK output and the ECS API in task definition JSON', () => {
    const [asset, proxy] = fixture('ecs-task-role-missing', 'fires-cdk.json');
    assert.equal(asset.messageId, 'hostCredentials');
    assert.match(asset.message, /has no taskRole: on EC2/);
    assert.match(asset.detail ?? '', /pass `taskRole` to the task definition/);
    assert.equal(proxy.messageId, 'instanceMetadata');
    assert.match(proxy.detail ?? '', /pass the task definition a `taskRole` with no policies/);
    assert.doesNotMatch(proxy.detail ?? '', /TaskRoleArn/);
    const [wildfly] = fixture('ecs-task-role-missing', 'fires-api-public.json');
    assert.match(wildfly.detail ?? '', /set `taskRoleArn` to a role trusted by `ecs-tasks\.amazonaws\.com` with no policies/);
    assert.match(wildfly.detail ?? '', /it lists EC2, network mode bridge/);
    const [consul] = fixture('ecs-task-role-missing', 'fires-api.json');
    assert.match(consul.message, /^Task definition consulClient has no taskRoleArn, but container consulClient calls AWS/);
  });

  it('the execution-role error stands in for the Fargate task-role hint and says no task role is needed', () => {
    const fargate = (/** @type {string} */ extra) => `Resources:\n  Web:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      RequiresCompatibilities: [FARGATE]\n      NetworkMode: awsvpc\n      Cpu: "256"\n      Memory: "512"\n${extra}      ContainerDefinitions:\n        - Name: web\n          Image: public.ecr.aws/nginx/nginx:1.27\n          LogConfiguration: { LogDriver: awslogs }\n`;
    const [bare] = findings(fargate(''), 't.yaml', 'ecs-execution-role-missing');
    assert.match(bare.detail ?? '', /It is not the task role \(`TaskRoleArn`\), which this task does not need unless its application calls AWS\.$/);
    assert.deepEqual(findings(fargate(''), 't.yaml', 'ecs-task-role-missing'), []);
    const [withRole] = findings(fargate('      TaskRoleArn: arn:aws:iam::123456789012:role/web\n'), 't.yaml', 'ecs-execution-role-missing');
    assert.match(withRole.detail ?? '', /It is not the task role, which is for the application's own AWS calls\.$/);
    // Signs of AWS calls: the task does need a role, and says so in its own finding.
    const cli = fargate('').replace('public.ecr.aws/nginx/nginx:1.27', 'public.ecr.aws/aws-cli/aws-cli:2.17.0');
    assert.doesNotMatch(defined(findings(cli, 't.yaml', 'ecs-execution-role-missing')[0]).detail ?? '', /does not need/);
    assert.equal(findings(cli, 't.yaml', 'ecs-task-role-missing')[0]?.messageId, 'awsCalls');
    // In task definition JSON and CDK output, the names the reader writes.
    const [api] = fixture('ecs-execution-role-missing', 'fires-api.json');
    assert.match(api.detail ?? '', /It is not the task role \(`taskRoleArn`\)/);
    const [cdk] = fixture('ecs-execution-role-missing', 'fires-cdk.json');
    assert.match(cdk.detail ?? '', /It is not the task role, which is for/, 'the CDK fixture has a task role');
  });

  it('a shared task role is one finding on the role, the task definitions related; agent policies only make it a hint', () => {
    const [app, literal] = fixture('ecs-task-role-shared', 'fires.yaml');
    assert.equal(app.message, 'Task role AppRole is shared by 3 task definitions: give each service its own');
    assert.equal(app.severity, 'info');
    assert.match(app.detail ?? '', /^Services Api, Worker and Cron run task definitions ApiTask, WorkerTask and CronTask, all with task role AppRole,/);
    const text = fs.readFileSync(path.join(__dirname, '..', 'rules', 'ecs-task-role-shared', 'fires.yaml'), 'utf8');
    assert.equal(text.slice(app.start, app.end), 'AppRole');
    assert.deepEqual(app.related.map((r) => [text.slice(r.start, r.end), r.message]), [
      ['!GetAtt AppRole.Arn', 'Task definition ApiTask (service Api) runs with task role AppRole'],
      ['!Ref AppRole', 'Task definition WorkerTask (service Worker) runs with task role AppRole'],
      ['!GetAtt AppRole.Arn', 'Task definition CronTask (service Cron) runs with task role AppRole'],
    ]);
    // Anchored on the first TaskRoleArn, which is then not repeated as related.
    assert.equal(literal.message, 'Task role shared-app is shared by 2 task definitions: give each service its own');
    assert.deepEqual(literal.related.map((r) => r.message), ['Task definition LiteralB (service B) runs with task role shared-app']);
    const byRole = Object.fromEntries(fixture('ecs-task-role-shared', 'fires-policies.yaml').map((f) => [f.data?.role, f]));
    assert.deepEqual(Object.values(byRole).map((f) => f.severity), ['hint', 'hint', 'info', 'info']);
    assert.equal(byRole.MeshRole.message, 'Task role MeshRole, with sidecar and agent policies only, is shared by 2 task definitions');
    assert.match(byRole.MeshRole.detail ?? '', /whose policies \(CloudWatchFullAccess and AWSAppMeshEnvoyAccess\) serve the sidecars and agents/);
    assert.match(byRole.TelemetryRole.detail ?? '', /\(AWSXRayDaemonWriteAccess and 2 inline policies for logs, metrics or traces\)/);
  });
});
