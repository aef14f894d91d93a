// @ts-check
// Inputs from the attack review (shared/reviews/attack.md), generated at any size: used by
// test/unit/adversarial.test.js and test/cli/adversarial.test.js, and by scripts that time them.
'use strict';

const TASK = (props = '', id = 'Task') => `Resources:
  ${id}:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [FARGATE]
      NetworkMode: awsvpc
      Cpu: 256
      Memory: 512
${props}`;

/** `iN: &iN !If [C, *iN-1, *iN-1]`, and a container whose image is the last one.
 * @param {number} levels
 */
function ifBomb(levels) {
  let meta = '  i0: &i0 "nginx"\n';
  for (let i = 1; i <= levels; i++) meta += `  i${i}: &i${i} !If [C, *i${i - 1}, *i${i - 1}]\n`;
  return `Conditions:\n  C: !Equals [!Ref Env, prod]\nParameters:\n  Env: { Type: String }\nMetadata:\n${meta}${TASK(`      ContainerDefinitions:\n        - Name: app\n          Image: *i${levels}\n`)}`;
}

/** `Cn: !And [!Condition Cn-1, !Condition Cn-1]`, and a task definition using the last one.
 * @param {number} levels
 */
function conditionChain(levels) {
  let conds = '  C0: !Equals [!Ref Env, prod]\n';
  for (let i = 1; i <= levels; i++) conds += `  C${i}: !And [!Condition C${i - 1}, !Condition C${i - 1}]\n`;
  return `Parameters:\n  Env: { Type: String }\nConditions:\n${conds}Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      RequiresCompatibilities: [FARGATE]\n      NetworkMode: awsvpc\n      Cpu: !If [C${levels}, 256, 512]\n      Memory: 512\n      ContainerDefinitions:\n        - Name: app\n          Image: public.ecr.aws/x/y\n`;
}

/** `Image: !Sub "${a${a${a..."` (3n characters).
 * @param {number} n
 */
function subBomb(n) {
  return TASK(`      ContainerDefinitions:\n        - Name: app\n          Image: !Sub "${'${a'.repeat(n)}"\n`);
}

/** `Cpu: "111...1x"` and the same for Memory.
 * @param {number} n
 */
function longSizes(n) {
  return `Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      RequiresCompatibilities: [FARGATE]\n      NetworkMode: awsvpc\n      Cpu: "${'1'.repeat(n)}x"\n      Memory: "${'1'.repeat(n)}x"\n      ContainerDefinitions:\n        - Name: app\n          Image: public.ecr.aws/x/y\n`;
}

/** A Pod whose suppression annotation has n spaces after the rule id.
 * @param {number} n
 */
function untilAnnotation(n) {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    kb-hints.dev/ignore: "image-from-docker-hub:${' '.repeat(n)}x"\nspec:\n  containers:\n    - name: app\n      image: nginx\n`;
}

/** n lines `Pn: 1 # kb-hints-ignore ecs-task-role-missing reason=x` under a template.
 * @param {number} n
 */
function manySuppressions(n) {
  const lines = [];
  for (let i = 0; i < n; i++) lines.push(`  P${i}: 1 # kb-hints-ignore ecs-task-role-missing reason=x`);
  return `${TASK()}Metadata:\n${lines.join('\n')}\n`;
}

/** A task definition whose logical id is a regular expression that backtracks.
 * @param {number} xs
 */
function regexId(xs) {
  return `Description: |\n  ${'x'.repeat(xs)}\nResources:\n  "(x+x+)+y":\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: app\n          Image: public.ecr.aws/x/y\n`;
}

/** n pairs of a RWX PersistentVolumeClaim and the EBS StorageClass it names.
 * @param {number} pairs
 */
function claimsAndClasses(pairs) {
  const docs = [];
  for (let i = 0; i < pairs; i++) {
    docs.push(`apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: c${i}\nspec:\n  accessModes: [ReadWriteMany]\n  storageClassName: sc${i}\n  resources:\n    requests:\n      storage: 1Gi\n`);
    docs.push(`apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: sc${i}\nprovisioner: ebs.csi.aws.com\n`);
  }
  return docs.join('---\n');
}

/** A Pod whose spec comes from a merge key: hostPath and a Docker Hub image, only behind `<<`. */
const MERGED_POD = `apiVersion: v1
kind: Pod
metadata:
  name: merged
x-spec: &spec
  containers:
    - name: app
      image: nginx
      volumeMounts: [{ name: data, mountPath: /data }]
  volumes:
    - name: data
      hostPath: { path: /var/lib/data }
spec:
  <<: *spec
`;

/** A terminal-escape logical id (clear screen, title, OSC 8 link, carriage returns). */
const ESCAPE_ID = 'Task\u001b[2J\u001b[H\u001b]0;pwned\u0007\u001b]8;;https://evil.example/\u001b\\CLICK\u001b]8;;\u001b\\\r\rok';

function escapeTemplate() {
  const quoted = JSON.stringify(ESCAPE_ID);
  return `Resources:\n  ${quoted}:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: app\n          Image: public.ecr.aws/x/y\n`;
}

/** A path `d0/d1/.../d{n-1}/t.yaml`.
 * @param {number} n
 */
function deepPath(n) {
  return `${Array.from({ length: n }, (_, i) => `d${i}`).join('/')}/t.yaml`;
}

module.exports = { TASK, ifBomb, conditionChain, subBomb, longSizes, untilAnnotation, manySuppressions, regexId, claimsAndClasses, MERGED_POD, ESCAPE_ID, escapeTemplate, deepPath };
