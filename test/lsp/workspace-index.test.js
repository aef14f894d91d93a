// The background index of the workspace folders (lsp/workspaceIndexer.ts) and the re-lint of dependents
// (lsp/dependents.ts), through the real server over stdio: work-done progress, cancelling it, files on disk
// that change the findings of open documents, and only the documents that read what changed re-linted.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { pathToFileURL } = require('node:url');
const { LspClient } = require('../helpers/lsp-client');
const { tempDir } = require('../helpers/tmp');

const storageClass = (name) => ['apiVersion: storage.k8s.io/v1', 'kind: StorageClass', 'metadata:', `  name: ${name}`, 'provisioner: ebs.csi.aws.com', ''].join('\n');

const claim = (name, className) =>
  ['apiVersion: v1', 'kind: PersistentVolumeClaim', 'metadata:', `  name: ${name}`, 'spec:', `  storageClassName: ${className}`, '  accessModes: [ReadWriteMany]', '  resources:', '    requests: { storage: 10Gi }', ''].join('\n');

/** A service whose name is exported: reported unless the stack importing it scales it. */
const EXPORTER = [
  'Resources:',
  '  Service:',
  '    Type: AWS::ECS::Service',
  '    Properties:',
  '      Cluster: prod',
  '      TaskDefinition: arn:aws:ecs:us-east-1:123456789012:task-definition/app:1',
  '      DesiredCount: 2',
  'Outputs:',
  '  ServiceName:',
  '    Value: !GetAtt Service.Name',
  '    Export: { Name: !Sub "${AWS::StackName}-ServiceName" }',
  '',
].join('\n');

const IMPORT = '!ImportValue { "Fn::Sub": "${AppStack}-ServiceName" }';
/** Imports the service's name and only shows it. */
const DASHBOARD = ['Parameters:', '  AppStack: { Type: String }', 'Resources:', '  Dashboard:', '    Type: AWS::CloudWatch::Dashboard', '    Properties:', `      DashboardBody: !Sub ['{"name":"\${Name}"}', { Name: ${IMPORT} }]`, ''].join('\n');
/** Imports the service's name and scales it. */
const SCALER = [
  'Parameters:',
  '  AppStack: { Type: String }',
  'Resources:',
  '  Target:',
  '    Type: AWS::ApplicationAutoScaling::ScalableTarget',
  '    Properties:',
  '      ServiceNamespace: ecs',
  '      ScalableDimension: ecs:service:DesiredCount',
  `      ResourceId: !Join ['/', [service, prod, ${IMPORT}]]`,
  '      MinCapacity: 1',
  '      MaxCapacity: 4',
  '',
].join('\n');

const TASK = ['Resources:', '  Task:', '    Type: AWS::ECS::TaskDefinition', '    Properties:', '      ContainerDefinitions:', '        - Name: app', '          Image: public.ecr.aws/nginx/nginx:1.27', ''].join('\n');

const codes = (p) => p.diagnostics.map((d) => d.code);
const has = (code) => (p) => codes(p).includes(code);
const lacks = (code) => (p) => !codes(p).includes(code);

/** Waits until the server's background index has finished (or stopped), by its stats. */
async function indexDone(client, timeout = 20000) {
  const end = Date.now() + timeout;
  for (;;) {
    const { index } = await client.request('kbHints/stats', {});
    if (index.state === 'complete' || index.state === 'cancelled' || index.state === 'off') return index;
    if (Date.now() > end) throw new Error(`index still ${index.state} after ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A workspace large enough that indexing it takes many slices: `n` manifests, then the StorageClass `late` in the last folder. */
function largeWorkspace(n) {
  const files = {};
  const deployment = (i) => ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', `  name: app-${i}`, 'spec:', '  template:', '    spec:', '      containers:', ...Array.from({ length: 40 }, (_, c) => [`        - name: c${c}`, `          image: nginx:1.${c}`]).flat(), ''].join('\n');
  for (let i = 0; i < n; i++) files[`apps/app-${String(i).padStart(4, '0')}.yaml`] = deployment(i);
  files['zz/late.yaml'] = storageClass('late');
  return tempDir(files);
}

describe('background workspace index', function () {
  this.timeout(60000);
  const clients = [];
  const dirs = [];
  const start = async (t, options = {}, settings = {}) => {
    const client = new LspClient({ settings });
    clients.push(client);
    if (options.onCreate) client.requestHandlers['window/workDoneProgress/create'] = (p) => (options.onCreate(client, p), null);
    await client.initialize({ rootUri: pathToFileURL(t.dir).href, workDoneProgress: options.workDoneProgress ?? false, watchedFiles: options.watchedFiles ?? false });
    return client;
  };
  const workspace = (files) => {
    const t = tempDir(files);
    dirs.push(t);
    return t;
  };
  after(() => {
    for (const c of clients) c.kill();
    for (const t of dirs) t.cleanup();
  });

  it('reports begin, report and end progress; honours .kbhints.yaml ignores and skips node_modules; Lint Workspace then skips its index pass', async () => {
    const t = workspace({
      '.kbhints.yaml': 'ignore:\n  - ignored/**\n',
      'k8s/classes.yaml': storageClass('ebs-sc'),
      'ignored/classes.yaml': storageClass('ignored-sc'),
      'node_modules/chart/classes.yaml': storageClass('module-sc'),
      'cfn/task.yaml': TASK,
      'notes.txt': 'not ours',
    });
    const client = await start(t, { workDoneProgress: true, watchedFiles: true });
    const registered = await waitForRequest(client, 'client/registerCapability');
    assert.deepEqual(registered.registrations.map((r) => [r.method, r.registerOptions.watchers.map((w) => w.globPattern)]), [['workspace/didChangeWatchedFiles', ['**/*{.json,.yaml,.yml,.template}']]]);
    const created = await waitForRequest(client, 'window/workDoneProgress/create');
    const end = await client.waitFor('$/progress', (p) => p.token === created.token && p.value.kind === 'end', { timeout: 20000 });
    assert.ok(end);
    const values = client.progress(created.token);
    assert.equal(values[0].kind, 'begin');
    assert.equal(values[0].cancellable, true);
    assert.match(values[0].title, /indexing the workspace/);
    assert.ok(values.slice(1, -1).length >= 1 && values.slice(1, -1).every((v) => v.kind === 'report'), JSON.stringify(values));
    assert.equal(values.at(-1).kind, 'end');
    const index = await indexDone(client);
    // .kbhints.yaml is walked (it ends in .yaml) and found not to be ours; node_modules and notes.txt are not walked.
    assert.deepEqual(index, { state: 'complete', files: 4, indexed: 4 });

    // Claims on the three classes: only the one from an indexed file is known.
    const uri = pathToFileURL(t.file('k8s/claims.yaml')).href;
    client.open(uri, [claim('a', 'ebs-sc'), claim('b', 'ignored-sc'), claim('c', 'module-sc')].join('---\n'));
    const published = await client.diagnostics(uri, { version: 1 });
    assert.deepEqual(published.diagnostics.filter((d) => d.code === 'k8s-rwx-on-ebs').map((d) => d.range.start.line), [6]);

    const indexPass = await client.request('kbHints/lintFiles', { uris: [pathToFileURL(t.file('cfn/task.yaml')).href], mode: 'index' });
    assert.equal(indexPass.indexed, true);
    const lintPass = await client.request('kbHints/lintFiles', { uris: [pathToFileURL(t.file('cfn/task.yaml')).href], mode: 'lint' });
    assert.equal(lintPass.linted, 1, 'the lint pass still lints');
  });

  it('stops when the client cancels the progress, keeping what it found', async () => {
    const t = largeWorkspace(600);
    dirs.push(t);
    const client = await start(t, { workDoneProgress: true, onCreate: (c, p) => setImmediate(() => c.notify('window/workDoneProgress/cancel', { token: p.token })) });
    const created = await waitForRequest(client, 'window/workDoneProgress/create');
    await client.waitFor('$/progress', (p) => p.token === created.token && p.value.kind === 'end', { timeout: 20000 });
    const index = await indexDone(client);
    assert.equal(index.state, 'cancelled');
    assert.ok(index.indexed < index.files || index.files < 601, `stopped early: ${JSON.stringify(index)}`);
    const mark = client.mark();
    await client.request('kbHints/stats', {});
    assert.equal(client.notifications.slice(mark).filter((n) => n.method === '$/progress').length, 0, 'nothing after the end');
    // Not complete: Lint Workspace reads the files itself.
    const indexPass = await client.request('kbHints/lintFiles', { uris: [pathToFileURL(t.file('zz/late.yaml')).href], mode: 'index' });
    assert.equal(indexPass.indexed, undefined);
  });

  it('a file opened while indexing runs gets its diagnostics, and those of the facts indexing finds once it ends', async () => {
    const t = largeWorkspace(600);
    dirs.push(t);
    const client = await start(t, { workDoneProgress: true });
    const uri = pathToFileURL(t.file('claims.yaml')).href;
    client.open(uri, claim('data', 'late'));
    const first = await client.diagnostics(uri, { version: 1, timeout: 20000 });
    assert.ok(Array.isArray(first.diagnostics));
    // The class is in the last file indexed: whenever indexing ends, the claim's finding is there.
    await client.diagnostics(uri, { predicate: has('k8s-rwx-on-ebs'), timeout: 30000 });
    assert.equal((await indexDone(client)).state, 'complete');
  });

  it('a StorageClass file created on disk re-lints the open claim that names it, and not an unrelated open document', async () => {
    const t = workspace({ 'cfn/task.yaml': TASK });
    const client = await start(t);
    await indexDone(client);
    const claims = pathToFileURL(t.file('k8s/claims.yaml')).href;
    const task = pathToFileURL(t.file('cfn/task.yaml')).href;
    client.open(claims, claim('data', 'ebs-sc'));
    client.open(task, TASK);
    await client.diagnostics(claims, { version: 1, predicate: lacks('k8s-rwx-on-ebs') });
    await client.waitFor('kbHints/fileStatus', (p) => p.uri === task);
    const before = (await client.request('kbHints/stats', {})).dependentRelints;
    const mark = client.mark();
    t.write('k8s/classes.yaml', storageClass('ebs-sc'));
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(t.file('k8s/classes.yaml')).href, type: 1 }] });
    await client.diagnostics(claims, { since: mark, predicate: has('k8s-rwx-on-ebs') });
    const stats = await client.request('kbHints/stats', {});
    assert.equal(stats.dependentRelints - before, 1, 'one document re-linted');
    assert.equal(client.notifications.slice(mark).filter((n) => n.params?.uri === task).length, 0, 'the task template is not re-published');

    // Renamed on disk: the claim's class is unknown again.
    const renamed = client.mark();
    fs.writeFileSync(t.file('k8s/classes.yaml'), storageClass('other-sc'));
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(t.file('k8s/classes.yaml')).href, type: 2 }] });
    await client.diagnostics(claims, { since: renamed, predicate: lacks('k8s-rwx-on-ebs') });
    await client.waitFor('kbHints/fileStatus', (p) => p.uri === claims, { since: renamed });
    // A class of another name changing re-lints nothing.
    const other = client.mark();
    fs.writeFileSync(t.file('k8s/classes.yaml'), storageClass('third-sc'));
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(t.file('k8s/classes.yaml')).href, type: 2 }] });
    const after = await client.request('kbHints/stats', {});
    assert.equal(after.dependentRelints - stats.dependentRelints, 1, 'only the rename re-linted the claim');
    assert.equal(client.notifications.slice(other).filter((n) => n.params?.uri === claims).length, 0);
  });

  it('an ECR repository whose latest tag another file runs: related information in that file, re-linted when it changes in the editor', async () => {
    const repo = ['Resources:', '  Repo:', '    Type: AWS::ECR::Repository', '    Properties:', '      RepositoryName: web', ''].join('\n');
    const runner = (tag) => ['Resources:', '  Web:', '    Type: AWS::ECS::TaskDefinition', '    Properties:', '      TaskRoleArn: arn:aws:iam::123456789012:role/web', '      ContainerDefinitions:', '        - Name: web', `          Image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/web:${tag}`, ''].join('\n');
    const t = workspace({ 'ecr/repo.yaml': repo, 'services/web.yaml': runner('latest') });
    const client = await start(t);
    await indexDone(client);
    const repoUri = pathToFileURL(t.file('ecr/repo.yaml')).href;
    const webUri = pathToFileURL(t.file('services/web.yaml')).href;
    client.open(repoUri, repo);
    const tags = (p) => p.diagnostics.find((d) => d.code === 'ecr-tags-mutable');
    const moving = await client.diagnostics(repoUri, { version: 1, predicate: (p) => /IMMUTABLE_WITH_EXCLUSION/.test(tags(p)?.message ?? '') });
    assert.deepEqual(tags(moving).relatedInformation.map((r) => [r.location.uri, r.location.range.start.line, r.message]), [[webUri, 7, 'Task definition Web in web.yaml runs its latest tag']]);
    // The runner pins a version in the editor: the repository's advice is plain IMMUTABLE again.
    const mark = client.mark();
    client.open(webUri, runner('1.4.2'));
    const pinned = await client.diagnostics(repoUri, { since: mark, predicate: (p) => !!tags(p) && !/IMMUTABLE_WITH_EXCLUSION/.test(tags(p).message) });
    assert.equal(tags(pinned).relatedInformation, undefined);
  });

  it('a CodeBuild build spec on disk that pushes latest: indexed though not linted, and re-lints the pipeline when it changes', async () => {
    const pipeline = ['Resources:', '  Repo:', '    Type: AWS::ECR::Repository', '  Build:', '    Type: AWS::CodeBuild::Project', '    Properties:', '      Source: { Type: CODEPIPELINE }', '      Environment:', '        EnvironmentVariables:', '          - { Name: REPOSITORY_URI, Value: !GetAtt Repo.RepositoryUri }', ''].join('\n');
    const spec = (tag) => ['version: 0.2', 'phases:', '  post_build:', '    commands:', `      - docker push $REPOSITORY_URI:${tag}`, ''].join('\n');
    const t = workspace({ 'infra/pipeline.yaml': pipeline, 'buildspec.yml': spec('latest') });
    const client = await start(t);
    await indexDone(client);
    const uri = pathToFileURL(t.file('infra/pipeline.yaml')).href;
    const specUri = pathToFileURL(t.file('buildspec.yml')).href;
    client.open(uri, pipeline);
    const tags = (p) => p.diagnostics.find((d) => d.code === 'ecr-tags-mutable');
    const moving = await client.diagnostics(uri, { version: 1, predicate: (p) => /IMMUTABLE_WITH_EXCLUSION/.test(tags(p)?.message ?? '') });
    assert.deepEqual(tags(moving).relatedInformation.map((r) => [r.location.uri, r.location.range.start.line, r.message]), [[specUri, 4, 'Build spec buildspec.yml (project Build) pushes the latest tag']]);
    const mark = client.mark();
    fs.writeFileSync(t.file('buildspec.yml'), spec('$CODEBUILD_RESOLVED_SOURCE_VERSION'));
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: specUri, type: 2 }] });
    await client.diagnostics(uri, { since: mark, predicate: (p) => !!tags(p) && !/IMMUTABLE_WITH_EXCLUSION/.test(tags(p).message) });
  });

  it('an exported service re-lints when the stack importing it (Fn::ImportValue) changes, on disk or in the editor', async () => {
    const t = workspace({ 'stacks/service.yaml': EXPORTER, 'stacks/dashboard.yaml': DASHBOARD, 'cfn/task.yaml': TASK });
    const client = await start(t);
    await indexDone(client);
    const service = pathToFileURL(t.file('stacks/service.yaml')).href;
    const consumer = pathToFileURL(t.file('stacks/dashboard.yaml')).href;
    const task = pathToFileURL(t.file('cfn/task.yaml')).href;
    client.open(task, TASK);
    client.open(service, EXPORTER);
    // The only importer does not scale it.
    await client.diagnostics(service, { version: 1, predicate: has('ecs-service-autoscaling-missing') });
    await client.waitFor('kbHints/fileStatus', (p) => p.uri === task);
    const mark = client.mark();
    fs.writeFileSync(t.file('stacks/dashboard.yaml'), SCALER);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: consumer, type: 2 }] });
    await client.diagnostics(service, { since: mark, predicate: lacks('ecs-service-autoscaling-missing') });
    // Opened and edited back to a dashboard: the editor's text wins over the disk.
    const edited = client.mark();
    client.open(consumer, SCALER);
    client.change(consumer, 2, [{ text: DASHBOARD }]);
    await client.diagnostics(service, { since: edited, predicate: has('ecs-service-autoscaling-missing') });
    assert.equal(client.notifications.slice(mark).filter((n) => n.params?.uri === task).length, 0, 'the task template is not re-published');
    // Closed: the scaling stack on disk applies again.
    const closed = client.mark();
    client.close(consumer);
    await client.diagnostics(service, { since: closed, predicate: lacks('ecs-service-autoscaling-missing') });
  });

  it('a kustomization that renames an image, edited in the editor, re-lints the open manifest below it', async () => {
    const kustomization = (name) => ['apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', 'images:', `  - { name: ${name}, newName: public.ecr.aws/acme/controller, newTag: "1.0" }`, ''].join('\n');
    const manifest = ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: c', 'spec:', '  template:', '    spec:', '      containers:', '        - { name: c, image: "controller:latest" }', ''].join('\n');
    const t = workspace({ 'config/kustomization.yaml': kustomization('controller'), 'config/manager/deployment.yaml': manifest, 'cfn/task.yaml': TASK });
    const client = await start(t);
    await indexDone(client);
    const deployment = pathToFileURL(t.file('config/manager/deployment.yaml')).href;
    const kust = pathToFileURL(t.file('config/kustomization.yaml')).href;
    const task = pathToFileURL(t.file('cfn/task.yaml')).href;
    client.open(task, TASK);
    client.open(deployment, manifest);
    await client.diagnostics(deployment, { version: 1, predicate: lacks('image-from-docker-hub') });
    await client.waitFor('kbHints/fileStatus', (p) => p.uri === task);
    const mark = client.mark();
    client.open(kust, kustomization('controller'));
    client.change(kust, 2, [{ text: kustomization('manager') }]);
    await client.diagnostics(deployment, { since: mark, predicate: has('image-from-docker-hub') });
    const back = client.mark();
    client.change(kust, 3, [{ text: kustomization('controller') }]);
    await client.diagnostics(deployment, { since: back, predicate: lacks('image-from-docker-hub') });
    assert.equal(client.notifications.slice(mark).filter((n) => n.params?.uri === task).length, 0, 'the task template is not re-published');
  });

  it('a .kbhints.yaml that now ignores a folder, and a deleted file, take their facts out of the index', async () => {
    const t = workspace({ 'legacy/classes.yaml': storageClass('old-sc'), 'k8s/classes.yaml': storageClass('ebs-sc') });
    const client = await start(t);
    await indexDone(client);
    const claims = pathToFileURL(t.file('k8s/claims.yaml')).href;
    client.open(claims, [claim('a', 'old-sc'), claim('b', 'ebs-sc')].join('---\n'));
    const rwx = (p) => p.diagnostics.filter((d) => d.code === 'k8s-rwx-on-ebs').length;
    await client.diagnostics(claims, { version: 1, predicate: (p) => rwx(p) === 2 });
    let mark = client.mark();
    t.write('.kbhints.yaml', 'ignore:\n  - legacy/**\n');
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(t.file('.kbhints.yaml')).href, type: 1 }] });
    await client.diagnostics(claims, { since: mark, predicate: (p) => rwx(p) === 1 });
    mark = client.mark();
    fs.rmSync(t.file('k8s/classes.yaml'));
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(t.file('k8s/classes.yaml')).href, type: 3 }] });
    await client.diagnostics(claims, { since: mark, predicate: (p) => rwx(p) === 0 });
  });

  it('kbHints.indexWorkspace: false turns it off', async () => {
    const t = workspace({ 'k8s/classes.yaml': storageClass('ebs-sc') });
    const client = await start(t, {}, { indexWorkspace: false });
    assert.equal((await indexDone(client)).state, 'off');
    const uri = pathToFileURL(t.file('k8s/claims.yaml')).href;
    client.open(uri, claim('data', 'ebs-sc'));
    const published = await client.diagnostics(uri, { version: 1 });
    assert.ok(lacks('k8s-rwx-on-ebs')(published), 'the class on disk is not known');
  });
});

/** The params of the first request of `method` the server sent (waits for it). */
async function waitForRequest(client, method, timeout = 10000) {
  const end = Date.now() + timeout;
  for (;;) {
    const r = client.serverRequests.find((x) => x.method === method);
    if (r) return r.params;
    if (Date.now() > end) throw new Error(`no ${method} within ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
