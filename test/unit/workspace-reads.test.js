// What a lint reads of the workspace index (WorkspaceReads) and what an update changes (FactsChange): the
// server re-lints an open document when a change touches its reads (lsp/dependents.ts), so a change that can
// alter a finding must touch the reads, and one that cannot should not.
const assert = require('node:assert/strict');
const engine = require('../../dist/engine.js');

const storageClass = (name, { isDefault = false, provisioner = 'ebs.csi.aws.com' } = {}) =>
  ['apiVersion: storage.k8s.io/v1', 'kind: StorageClass', 'metadata:', `  name: ${name}`, ...(isDefault ? ['  annotations:', '    storageclass.kubernetes.io/is-default-class: "true"'] : []), `provisioner: ${provisioner}`, ''].join('\n');
const claim = (className) => ['apiVersion: v1', 'kind: PersistentVolumeClaim', 'metadata:', '  name: data', 'spec:', ...(className ? [`  storageClassName: ${className}`] : []), '  accessModes: [ReadWriteMany]', ''].join('\n');

/** A service handed to a nested stack (`scaling.yaml`) as a parameter. */
const PARENT = [
  'Resources:',
  '  Service:',
  '    Type: AWS::ECS::Service',
  '    Properties:',
  '      Cluster: prod',
  '      TaskDefinition: arn:aws:ecs:us-east-1:123456789012:task-definition/app:1',
  '  Scaling:',
  '    Type: AWS::CloudFormation::Stack',
  '    Properties:',
  '      TemplateURL: https://s3.amazonaws.com/bucket/stacks/scaling.yaml',
  '      Parameters:',
  '        ServiceName: !GetAtt Service.Name',
  '',
].join('\n');
const child = (scales) =>
  ['Parameters:', '  ServiceName: { Type: String }', 'Resources:', scales ? '  Target:\n    Type: AWS::ApplicationAutoScaling::ScalableTarget' : '  Topic:\n    Type: AWS::SNS::Topic', '    Properties:', scales ? '      ResourceId: !Sub service/prod/${ServiceName}' : '      TopicName: !Ref ServiceName', ''].join('\n');
const OTHER = ['Parameters:', '  Name: { Type: String }', 'Resources:', '  Topic:', '    Type: AWS::SNS::Topic', 'Outputs:', '  TopicArn:', '    Value: !Ref Topic', '    Export: { Name: other-topic }', ''].join('\n');

function setup() {
  const changes = [];
  const index = new engine.WorkspaceIndex((c) => changes.push(c));
  const put = (uri, text) => {
    changes.length = 0;
    index.update(engine.parseFile(text, uri));
    return changes.slice();
  };
  const lint = (uri, text) => {
    const reads = new engine.WorkspaceReads();
    const findings = index.recording(reads, () => engine.lint(engine.parseFile(text, uri), { rules: engine.RULES, workspace: index }));
    return { reads, findings, ids: findings.map((f) => f.ruleId) };
  };
  return { index, put, lint };
}

describe('workspace reads and fact changes', () => {
  it('a claim reads the StorageClass it names; only a change of that name touches it', () => {
    const { put, lint } = setup();
    put('file:///w/classes.yaml', storageClass('gp3'));
    const { reads, ids } = lint('file:///w/claim.yaml', claim('gp3'));
    assert.ok(ids.includes('k8s-rwx-on-ebs'));
    assert.deepEqual([...reads.classes], ['gp3']);
    assert.equal(reads.defaults, false);
    const [other] = put('file:///w/other.yaml', storageClass('gp2'));
    assert.deepEqual(other.classes, ['gp2']);
    assert.equal(reads.affectedBy(other), false);
    const [changed] = put('file:///w/classes.yaml', storageClass('gp3', { provisioner: 'efs.csi.aws.com' }));
    assert.deepEqual(changed.classes, ['gp3']);
    assert.equal(reads.affectedBy(changed), true);
    assert.ok(!lint('file:///w/claim.yaml', claim('gp3')).ids.includes('k8s-rwx-on-ebs'), 'the finding did change');
  });

  it('the same facts again change nothing (no event), and a claim without a class reads the defaults', () => {
    const { put, lint } = setup();
    put('file:///w/classes.yaml', storageClass('gp3'));
    assert.deepEqual(put('file:///w/classes.yaml', `# comment\n${storageClass('gp3')}`), []);
    const { reads } = lint('file:///w/claim.yaml', claim(undefined));
    assert.equal(reads.defaults, true);
    const [made] = put('file:///w/classes.yaml', storageClass('gp3', { isDefault: true }));
    assert.equal(made.defaults, true);
    assert.equal(reads.affectedBy(made), true);
    const [removed] = put('file:///w/classes.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
    assert.deepEqual([removed.classes, removed.defaults], [['gp3'], true]);
  });

  it('a Service reads the detected environment; a file showing the Load Balancer Controller touches it', () => {
    const { put, lint } = setup();
    const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: LoadBalancer\n  ports: [{ port: 80 }]\n';
    const { reads } = lint('file:///w/service.yaml', service);
    assert.equal(reads.environment, true);
    const controller = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: aws-load-balancer-controller\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n          image: public.ecr.aws/eks/aws-load-balancer-controller:v2.8.0\n';
    const [change] = put('file:///w/lbc.yaml', controller);
    assert.equal(change.environment, true);
    assert.equal(reads.affectedBy(change), true);
    assert.equal(lint('file:///w/claim.yaml', claim('gp3')).reads.environment, false, 'a claim does not read it');
  });

  it('a parent reads the nested template it follows: that file changing touches it, another template does not', () => {
    const { put, lint } = setup();
    put('file:///w/stacks/scaling.yaml', child(true));
    const quiet = lint('file:///w/parent.yaml', PARENT);
    assert.ok(!quiet.ids.includes('ecs-service-autoscaling-missing'), 'scaled by the nested stack');
    assert.ok(quiet.reads.stacks.nested.has('scaling.yaml'));
    const [other] = put('file:///w/other.yaml', OTHER);
    assert.equal(other.stacks.length, 1);
    assert.equal(quiet.reads.affectedBy(other), false);
    const [changed] = put('file:///w/stacks/scaling.yaml', child(false));
    assert.equal(changed.stacks.length, 2, 'before and after');
    assert.equal(quiet.reads.affectedBy(changed), true);
    assert.ok(lint('file:///w/parent.yaml', PARENT).ids.includes('ecs-service-autoscaling-missing'));
  });

  it('a nested template reads its parents; a new file that nests it touches it', () => {
    const { put, lint } = setup();
    // An output no stack reads does not silence a finding: the service is reported until a parent nests the file.
    const nested = ['Resources:', '  Service:', '    Type: AWS::ECS::Service', '    Properties:', '      Cluster: prod', '      TaskDefinition: arn:aws:ecs:us-east-1:123456789012:task-definition/app:1', 'Outputs:', '  ServiceName:', '    Value: !GetAtt Service.Name', ''].join('\n');
    const { reads } = lint('file:///w/stacks/service.yaml', nested);
    assert.ok(reads.stacks.parents.has('service.yaml'));
    const parent = ['Resources:', '  App:', '    Type: AWS::CloudFormation::Stack', '    Properties:', '      TemplateURL: ./stacks/service.yaml', ''].join('\n');
    const [change] = put('file:///w/root.yaml', parent);
    assert.equal(reads.affectedBy(change), true);
    assert.equal(reads.affectedBy({ uri: 'file:///w/x.yaml', classes: [], defaults: false, environment: false, stacks: [], movingTags: [], imageRewrites: [] }), false);
  });

  it('an ECR repository reads who runs its latest tag; only a change of that repository touches it', () => {
    const { put, lint } = setup();
    const repo = ['Resources:', '  Repo:', '    Type: AWS::ECR::Repository', '    Properties:', '      RepositoryName: web', ''].join('\n');
    const runner = (image) => ['Resources:', '  Task:', '    Type: AWS::ECS::TaskDefinition', '    Properties:', '      ContainerDefinitions:', `        - { Name: web, Image: "${image}", Memory: 512 }`, ''].join('\n');
    const messageOf = (findings) => findings.find((f) => f.ruleId === 'ecr-tags-mutable').messageId;
    const [first] = put('file:///w/task.yaml', runner('123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.0'));
    assert.equal(first, undefined, 'a pinned tag is no fact');
    const before = lint('file:///w/repo.yaml', repo);
    assert.deepEqual([...before.reads.movingTags], ['web']);
    const [other] = put('file:///w/other.yaml', runner('123456789012.dkr.ecr.us-east-1.amazonaws.com/api:latest'));
    assert.deepEqual(other.movingTags, ['api']);
    assert.equal(before.reads.affectedBy(other), false);
    const [changed] = put('file:///w/task.yaml', runner('123456789012.dkr.ecr.us-east-1.amazonaws.com/web:latest'));
    assert.deepEqual(changed.movingTags, ['web']);
    assert.equal(before.reads.affectedBy(changed), true);
    const index = new engine.WorkspaceIndex();
    index.update(engine.parseFile(runner('123456789012.dkr.ecr.us-east-1.amazonaws.com/web'), 'file:///w/task.yaml'));
    const lintWith = (workspace) => engine.lint(engine.parseFile(repo, 'file:///w/repo.yaml'), { rules: engine.RULES, workspace });
    const withRunner = lintWith(index);
    assert.equal(messageOf(withRunner), 'movingTag');
    const related = withRunner.find((f) => f.ruleId === 'ecr-tags-mutable').related;
    assert.deepEqual(related.map((r) => [r.uri, r.range.start.line, r.message]), [['file:///w/task.yaml', 5, 'Task definition Task in task.yaml runs its latest tag']]);
    // The facts survive the trip between threads (the parallel CLI) and the cache (JSON).
    const copy = new engine.WorkspaceIndex();
    copy.merge(JSON.parse(JSON.stringify(index.snapshot())));
    assert.equal(messageOf(lintWith(copy)), 'movingTag');
    assert.equal(messageOf(lintWith(new engine.WorkspaceIndex())), 'mutableByDefault');
  });

  it('a CodeBuild build spec file is read for what it pushes: by repository name, and by file name for the projects that run it', () => {
    const { put, lint } = setup();
    const spec = (push) => ['version: 0.2', 'phases:', '  post_build:', '    commands:', '      - docker build -t $REPOSITORY_URI:latest .', `      - ${push}`, ''].join('\n');
    const file = engine.parseFile(spec('docker push $REPOSITORY_URI:latest'), 'file:///w/buildspec.yml');
    assert.equal(file.kind, undefined);
    assert.equal(file.skipped, 'a CodeBuild build spec (read for the images it pushes, not linted)');
    // A project with no BuildSpec runs `buildspec.yml` from its source.
    const project = ['Resources:', '  Repo:', '    Type: AWS::ECR::Repository', '  Build:', '    Type: AWS::CodeBuild::Project', '    Properties:', '      Source: { Type: CODEPIPELINE }', '      Environment:', '        EnvironmentVariables:', '          - { Name: REPOSITORY_URI, Value: !GetAtt Repo.RepositoryUri }', ''].join('\n');
    const messageOf = (findings) => findings.find((f) => f.ruleId === 'ecr-tags-mutable').messageId;
    const before = lint('file:///w/infra/pipeline.yaml', project);
    assert.equal(messageOf(before.findings), 'mutableByDefault');
    assert.deepEqual([...before.reads.movingTags], ['buildspec:buildspec.yml']);
    const [pushed] = put('file:///w/buildspec.yml', spec('docker push $REPOSITORY_URI:latest'));
    assert.deepEqual(pushed.movingTags, ['buildspec:buildspec.yml']);
    assert.equal(before.reads.affectedBy(pushed), true);
    const after = lint('file:///w/infra/pipeline.yaml', project);
    assert.equal(messageOf(after.findings), 'movingTag');
    const related = after.findings.find((f) => f.ruleId === 'ecr-tags-mutable').related;
    assert.deepEqual(related.map((r) => [r.uri, r.range.start.line, r.message]), [['file:///w/buildspec.yml', 5, 'Build spec buildspec.yml (project Build) pushes the latest tag']]);
    // Paths as the CLI gives them from the working folder, with no folder part.
    const bare = new engine.WorkspaceIndex();
    bare.update(engine.parseFile(spec('docker push $REPOSITORY_URI:latest'), 'buildspec.yml'));
    assert.equal(messageOf(engine.lint(engine.parseFile(project, 'pipeline.yaml'), { rules: engine.RULES, workspace: bare })), 'movingTag');
    // Pushing the commit's tag only: not a moving tag.
    const [pinned] = put('file:///w/buildspec.yml', spec('docker push $REPOSITORY_URI:$CODEBUILD_RESOLVED_SOURCE_VERSION'));
    assert.deepEqual(pinned.movingTags, ['buildspec:buildspec.yml']);
    assert.equal(messageOf(lint('file:///w/infra/pipeline.yaml', project).findings), 'mutableByDefault');
  });

  it('a GitHub Actions workflow that pushes latest into a repository named in its env: the repository keeps latest movable', () => {
    const workflow = (tag) =>
      [
        'name: deploy',
        'on: { push: { branches: [main] } }',
        'env:',
        '  ECR_REPOSITORY: team/web',
        'jobs:',
        '  build:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: aws-actions/amazon-ecr-login@v2',
        '        id: login-ecr',
        '      - name: Build and push',
        '        env:',
        '          ECR_REGISTRY: ${{ steps.login-ecr.outputs.registry }}',
        '        run: |',
        '          docker build -t $ECR_REGISTRY/$ECR_REPOSITORY:${{ github.sha }} .',
        `          docker tag $ECR_REGISTRY/$ECR_REPOSITORY:\${{ github.sha }} $ECR_REGISTRY/$ECR_REPOSITORY:${tag}`,
        `          docker push $ECR_REGISTRY/$ECR_REPOSITORY:${tag}`,
        '',
      ].join('\n');
    const uri = 'file:///w/.github/workflows/deploy.yml';
    const file = engine.parseFile(workflow('latest'), uri);
    assert.equal(file.skipped, 'a GitHub Actions workflow (read for the images it pushes, not linted)');
    assert.deepEqual(engine.workflowPushes(file).map((p) => p.ref), ['<account>.dkr.ecr.<region>.amazonaws.com/team/web:latest']);
    const action = ['on: push', 'jobs:', '  b:', '    steps:', '      - uses: aws-actions/amazon-ecr-login@v2', '        id: ecr', '      - uses: docker/build-push-action@v6', '        with:', '          push: true', '          tags: |', '            ${{ steps.ecr.outputs.registry }}/api:latest', '            ${{ steps.ecr.outputs.registry }}/api:${{ github.sha }}', ''].join('\n');
    assert.deepEqual(engine.workflowPushes(engine.parseFile(action, uri)).map((p) => p.ref), ['<account>.dkr.ecr.<region>.amazonaws.com/api:latest', '<account>.dkr.ecr.<region>.amazonaws.com/api:${{ github.sha }}']);
    const repo = ['Resources:', '  Repo:', '    Type: AWS::ECR::Repository', '    Properties:', '      RepositoryName: team/web', ''].join('\n');
    const messageWith = (text) => {
      const index = new engine.WorkspaceIndex();
      index.update(engine.parseFile(text, uri));
      return engine.lint(engine.parseFile(repo, 'file:///w/infra/ecr.yaml'), { rules: engine.RULES, workspace: index }).find((f) => f.ruleId === 'ecr-tags-mutable');
    };
    const moving = messageWith(workflow('latest'));
    assert.equal(moving.messageId, 'movingTag');
    assert.deepEqual(moving.related.map((r) => [r.uri, r.range.start.line, r.message]), [[uri, 13, 'Workflow deploy.yml pushes its latest tag']]);
    assert.equal(messageWith(workflow('stable')).messageId, 'mutableByDefault');
    // Not under .github/workflows: not a workflow.
    assert.equal(engine.isWorkflow('file:///w/ci/deploy.yml', workflow('latest')), false);
  });

  it('a build spec push is read through its variables, buildx --push and docker push --all-tags', () => {
    const pushes = (lines, vars = []) =>
      engine.buildSpecPushes(engine.parseFile(['version: 0.2', ...(vars.length ? ['env:', '  variables:', ...vars.map((v) => `    ${v}`)] : []), 'phases:', '  build:', '    commands:', ...lines.map((l) => `      - ${l}`), ''].join('\n'), 'file:///w/b.yml')).map((p) => p.ref);
    assert.deepEqual(pushes(['docker push $REPO:latest'], ['REPO: 1.dkr.ecr.us-east-1.amazonaws.com/web']), ['1.dkr.ecr.us-east-1.amazonaws.com/web:latest']);
    assert.deepEqual(pushes(['export TAG=v1', 'docker image push "app:${TAG}"']), ['app:v1']);
    assert.deepEqual(pushes(['TAG=$(git rev-parse HEAD)', 'docker push app:$TAG']), ['app:$TAG']);
    assert.deepEqual(pushes(['docker buildx build --platform linux/amd64 --tag=app:latest -t app:1 --push .']), ['app:latest', 'app:1']);
    assert.deepEqual(pushes(['docker build -t app:latest -t app:2 . && docker tag app:2 other:2', 'docker push --all-tags app']), ['app:latest', 'app:2']);
    assert.deepEqual(pushes(['docker build -t app .', 'echo docker push app']), []);
    assert.deepEqual(['app', 'app:latest', 'r/app:1', '$URI', 'r/$NAME', 'app:$TAG', 'app@sha256:00'].map(engine.pushedTag), ['latest', 'latest', '1', undefined, undefined, undefined, '@digest']);
    assert.equal(engine.isBuildSpec('version: 0.2\nphases:\n  build: {}\n'), true);
    assert.equal(engine.isBuildSpec('version: 2\njobs: {}\n'), false);
  });

  it('a repository named by a parameter matches images built from a parameter of that name only in a template beside it', () => {
    const repo = ['Parameters:', '  ImageName: { Type: String }', 'Resources:', '  Repo:', '    Type: AWS::ECR::Repository', '    Properties:', '      RepositoryName: !Ref ImageName', ''].join('\n');
    const task = ['Parameters:', '  ImageName: { Type: String }', 'Resources:', '  Task:', '    Type: AWS::ECS::TaskDefinition', '    Properties:', '      ContainerDefinitions:', '        - { Name: web, Image: !Sub "${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/${ImageName}", Memory: 512 }', ''].join('\n');
    const index = new engine.WorkspaceIndex();
    index.update(engine.parseFile(task, 'file:///w/app/task.yaml'));
    const messageAt = (uri) => engine.lint(engine.parseFile(repo, uri), { rules: engine.RULES, workspace: index }).find((f) => f.ruleId === 'ecr-tags-mutable').messageId;
    assert.equal(messageAt('file:///w/app/repo.yaml'), 'movingTag');
    assert.equal(messageAt('file:///w/other/repo.yaml'), 'mutableByDefault');
  });

  it('a Docker Hub image reads whether a Skaffold config or a kustomization of a folder above rewrites it; only a change of that name touches it', () => {
    const { put, lint } = setup();
    const deployment = (image) => ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', 'spec:', '  template:', '    spec:', '      containers:', `        - { name: web, image: "${image}" }`, ''].join('\n');
    const kustomization = (name) => ['apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', 'images:', `  - { name: ${name}, newName: public.ecr.aws/acme/web, newTag: "1.0" }`, ''].join('\n');
    const dockerHub = (ids) => ids.filter((id) => id === 'image-from-docker-hub').length;
    // No Docker Hub image: nothing is read (the CLI's first pass lints the file at once).
    assert.deepEqual([...lint('file:///w/app/ecr.yaml', deployment('public.ecr.aws/acme/web:1.0')).reads.imageRewrites], []);
    const before = lint('file:///w/app/web.yaml', deployment('web:latest'));
    assert.deepEqual([...before.reads.imageRewrites], ['web']);
    assert.equal(dockerHub(before.ids), 1);
    const [other] = put('file:///w/kustomization.yaml', kustomization('api'));
    assert.deepEqual(other.imageRewrites, ['api']);
    assert.equal(before.reads.affectedBy(other), false);
    const [changed] = put('file:///w/kustomization.yaml', kustomization('web'));
    assert.deepEqual(changed.imageRewrites, ['api', 'web']);
    assert.equal(before.reads.affectedBy(changed), true);
    assert.equal(dockerHub(lint('file:///w/app/web.yaml', deployment('web:latest')).ids), 0, 'the folder below the kustomization');
    assert.equal(dockerHub(lint('file:///w/app/web.yaml', deployment('web@sha256:0123')).ids), 0, 'tag and digest aside');
    // A config applies to its folder and below, not beside it.
    put('file:///w/kustomization.yaml', kustomization('api'));
    put('file:///w/other/kustomization.yaml', kustomization('web'));
    assert.equal(dockerHub(lint('file:///w/app/web.yaml', deployment('web:latest')).ids), 1, 'a sibling folder');
    const skaffold = ['apiVersion: skaffold/v4beta6', 'kind: Config', 'build:', '  artifacts:', '    - image: web', ''].join('\n');
    const [built] = put('file:///w/skaffold.yaml', skaffold);
    assert.deepEqual(built.imageRewrites, ['web']);
    assert.equal(dockerHub(lint('file:///w/app/web.yaml', deployment('web:latest')).ids), 0, 'a Skaffold build artifact');
    // The facts survive the trip between threads (the parallel CLI) and the cache (JSON).
    const index = new engine.WorkspaceIndex();
    index.update(engine.parseFile(skaffold, 'file:///w/skaffold.yaml'));
    const copy = new engine.WorkspaceIndex();
    copy.merge(JSON.parse(JSON.stringify(index.snapshot())));
    const findings = engine.lint(engine.parseFile(deployment('web'), 'file:///w/app/web.yaml'), { rules: engine.RULES, workspace: copy });
    assert.deepEqual(findings.filter((f) => f.ruleId === 'image-from-docker-hub'), []);
  });
});
