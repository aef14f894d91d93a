// @ts-check
// `.kbhints.yaml`: parsing, merging up the folder tree (the nearer file wins per rule), ignore globs,
// the loader's cache, the CLI reading it; and the package.json contributions the editor relies on
// (commands, the kbHints.rules setting, yaml.customTags covering every short tag).
const assert = require('node:assert/strict');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { parseConfig, mergeConfigs, isIgnored, compileGlob, ConfigLoader, SHORT_TAG_NAMES, parseFile, lint, SYNTAX_ERROR } = require('../helpers/engine');
const { tempDir } = require('../helpers/tmp');
const { jsonFindings, execFailure } = require('../helpers/cli');
const pkg = require('../../package.json');

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const ROOT = path.resolve('/proj');

describe('.kbhints.yaml', () => {
  describe('parseConfig', () => {
    it('reads rules, ignore and root', () => {
      const { config, errors } = parseConfig('rules:\n  ecr-tags-mutable: off\n  ecs-task-role-missing: error\n  image-from-docker-hub: Hint\nignore:\n  - cdk.out/**\n  - legacy/\nroot: true\n');
      assert.deepEqual(errors, []);
      assert.deepEqual(config, { rules: { 'ecr-tags-mutable': 'off', 'ecs-task-role-missing': 'error', 'image-from-docker-hub': 'hint' }, ignore: ['cdk.out/**', 'legacy/'], root: true });
    });

    it('accepts `false` for off and a single ignore pattern; an empty file is an empty config', () => {
      assert.deepEqual(parseConfig('rules: { a-rule: false }\nignore: build/\n').config, { rules: { 'a-rule': 'off' }, ignore: ['build/'], root: false });
      assert.deepEqual(parseConfig('').config, { rules: {}, ignore: [], root: false });
      assert.deepEqual(parseConfig('# nothing yet\n').errors, []);
    });

    it('reports invalid entries and keeps the valid ones', () => {
      const { config, errors } = parseConfig('rules:\n  a-rule: loud\n  b-rule: warning\nignore: [1, ok/]\nroot: maybe\nextends: ../x\n');
      assert.deepEqual(config.rules, { 'b-rule': 'warning' });
      assert.deepEqual(config.ignore, ['1', 'ok/']);
      assert.equal(errors.length, 3);
      assert.match(errors.join('\n'), /rules\.a-rule: expected off, hint, info, warning or error, got loud/);
      assert.match(errors.join('\n'), /root: expected true or false/);
      assert.match(errors.join('\n'), /unknown key 'extends'/);
      assert.match(parseConfig('rules: [a]\n').errors[0], /rules: expected a mapping/);
      assert.match(parseConfig('- just a list\n').errors[0], /expected a mapping/);
    });
  });

  describe('merging and ignore', () => {
    /** @param {string} dir @param {string} text */
    const layer = (dir, text) => ({ dir, file: path.join(dir, '.kbhints.yaml'), ...parseConfig(text) });

    it('the nearer file wins per rule id; ignore patterns of every level apply', () => {
      const merged = mergeConfigs([
        layer(path.join(ROOT, 'svc'), 'rules: { a-rule: error }\nignore: [generated/]\n'),
        layer(ROOT, 'rules: { a-rule: off, b-rule: hint }\nignore: [cdk.out/**]\n'),
      ]);
      assert.deepEqual(merged.rules, { 'a-rule': 'error', 'b-rule': 'hint' });
      assert.ok(isIgnored(merged, path.join(ROOT, 'cdk.out/App.template.json')));
      assert.ok(isIgnored(merged, path.join(ROOT, 'svc/generated/x/y.yaml')));
      assert.ok(!isIgnored(merged, path.join(ROOT, 'generated/y.yaml')), 'svc patterns are relative to svc/');
      assert.ok(!isIgnored(merged, path.join(ROOT, 'svc/app.yaml')));
    });

    it('globs: no slash matches at any depth, a leading slash anchors, trailing slash is a folder, ! re-includes', () => {
      const c = (/** @type {string[]} */ patterns) => mergeConfigs([layer(ROOT, `ignore: ${JSON.stringify(patterns)}\n`)]);
      assert.ok(isIgnored(c(['*.template']), path.join(ROOT, 'a/b/c.template')));
      assert.ok(isIgnored(c(['/top.yaml']), path.join(ROOT, 'top.yaml')));
      assert.ok(!isIgnored(c(['/top.yaml']), path.join(ROOT, 'sub/top.yaml')));
      assert.ok(isIgnored(c(['vendor/']), path.join(ROOT, 'x/vendor/chart/values.yaml')));
      assert.ok(isIgnored(c(['k8s/**/*.{yml,yaml}']), path.join(ROOT, 'k8s/a/b.yml')));
      assert.ok(isIgnored(c(['k8s/**/*.{yml,yaml}']), path.join(ROOT, 'k8s/b.yaml')));
      assert.ok(!isIgnored(c(['k8s/**/*.{yml,yaml}']), path.join(ROOT, 'k8s/b.json')));
      assert.ok(!isIgnored(c(['examples/**', '!examples/keep.yaml']), path.join(ROOT, 'examples/keep.yaml')));
      assert.ok(isIgnored(c(['examples/**', '!examples/keep.yaml']), path.join(ROOT, 'examples/other.yaml')));
      assert.ok(!isIgnored(c(['*.yaml']), path.resolve('/elsewhere/x.yaml')), 'files outside the folder are not affected');
      const glob = compileGlob('a?c');
      assert.ok('test' in glob && glob.test('x/abc'));
    });
  });

  describe('ConfigLoader', () => {
    it('finds files upward, merges them, stops at root: true, and caches per folder until clear()', () => {
      const files = {
        [path.join(ROOT, '.kbhints.yaml')]: 'rules: { a-rule: off, b-rule: off }\n',
        [path.join(ROOT, 'team/.kbhints.yaml')]: 'rules: { a-rule: warning }\n',
        [path.join(ROOT, 'island/.kbhints.yaml')]: 'root: true\nrules: { c-rule: info }\n',
      };
      const reads = [];
      const loader = new ConfigLoader((p) => (reads.push(p), files[p]));
      const team = loader.forFile(path.join(ROOT, 'team/svc/app.yaml'));
      assert.deepEqual(team.rules, { 'a-rule': 'warning', 'b-rule': 'off' });
      assert.deepEqual(team.files, [path.join(ROOT, 'team/.kbhints.yaml'), path.join(ROOT, '.kbhints.yaml')]);
      assert.deepEqual(loader.forFile(path.join(ROOT, 'island/x.yaml')).rules, { 'c-rule': 'info' });
      const n = reads.length;
      loader.forFile(path.join(ROOT, 'team/svc/other.yaml'));
      assert.equal(reads.length, n, 'cached');
      files[path.join(ROOT, 'team/.kbhints.yaml')] = 'rules: { a-rule: error }\n';
      assert.equal(loader.forFile(path.join(ROOT, 'team/svc/app.yaml')).rules['a-rule'], 'warning', 'still cached');
      loader.clear();
      assert.equal(loader.forFile(path.join(ROOT, 'team/svc/app.yaml')).rules['a-rule'], 'error');
    });

    it('reports config errors with the file name', () => {
      const loader = new ConfigLoader((p) => (p === path.join(ROOT, '.kbhints.yaml') ? 'rules: { a-rule: nope }\n' : undefined));
      assert.match(loader.forFile(path.join(ROOT, 'x.yaml')).errors[0], /\.kbhints\.yaml: rules\.a-rule/);
    });
  });

  describe('the CLI reads it', () => {
    /** @type {import('../helpers/tmp').TempDir} */
    let tmp;
    const task = 'Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions: [{ Name: app, Image: public.ecr.aws/nginx/nginx:1.27 }]\n';
    before(() => {
      tmp = tempDir({
        '.kbhints.yaml': 'rules:\n  ecs-task-role-missing: error\nignore:\n  - generated/\n',
        'app/task.yaml': task,
        'app/quiet/.kbhints.yaml': 'rules: { ecs-task-role-missing: off }\n',
        'app/quiet/task.yaml': task,
        'generated/task.yaml': task,
      });
    });
    after(() => tmp.cleanup());

    it('applies severities per folder and skips ignored files', () => {
      let out;
      let code = 0;
      try {
        out = execFileSync(process.execPath, [CLI, 'lint', '.', '-f', 'json'], { cwd: tmp.dir, encoding: 'utf8' });
      } catch (e) {
        ({ stdout: out, status: code } = execFailure(e));
      }
      const list = jsonFindings(out).filter((f) => f.ruleId === 'ecs-task-role-missing');
      assert.deepEqual(list.map((f) => [f.file.split(path.sep).join('/'), f.severity]), [['app/task.yaml', 'error']]);
      assert.equal(code, 1, 'an error-level finding fails the run');
    });

    it('warns about an invalid config on stderr', () => {
      const t = tempDir({ '.kbhints.yaml': 'rules: { x: loud }\n', 'a.yaml': task });
      try {
        const r = require('node:child_process').spawnSync(process.execPath, [CLI, 'lint', '.'], { cwd: t.dir, encoding: 'utf8' });
        assert.match(r.stderr, /kb-hints: warning: .*\.kbhints\.yaml: rules\.x: expected off/);
      } finally {
        t.cleanup();
      }
    });
  });
});

describe('package.json contributions for the editor', () => {
  it('yaml.customTags (Red Hat YAML) covers every CloudFormation short tag in scalar, sequence and mapping form', () => {
    const tags = new Set(pkg.contributes.configurationDefaults['yaml.customTags']);
    for (const tag of SHORT_TAG_NAMES) for (const form of ['scalar', 'sequence', 'mapping']) assert.ok(tags.has(`${tag} ${form}`), `${tag} ${form}`);
    for (const t of tags) assert.ok(SHORT_TAG_NAMES.includes(t.split(' ')[0]), `unknown tag ${t}`);
  });

  it('every command is contributed with the KB Hints category, and the client registers each one', () => {
    const fs = require('node:fs');
    const client = ['commands.ts', 'workspace.ts'].map((f) => fs.readFileSync(path.resolve(__dirname, '../../client/src', f), 'utf8')).join('\n');
    const ids = pkg.contributes.commands.map((c) => c.command);
    for (const id of ['kbHints.searchKb', 'kbHints.browseRules', 'kbHints.openTopic', 'kbHints.lintWorkspace', 'kbHints.listSuppressions']) assert.ok(ids.includes(id), id);
    for (const c of pkg.contributes.commands) {
      assert.equal(c.category, 'KB Hints', c.command);
      assert.ok(client.includes(`'${c.command}'`) || (c.command === 'kbHints.selectRange' && client.includes('SELECT_RANGE_COMMAND')), `${c.command} is not registered by the client`);
    }
  });

  it('declares the kbHints.rules setting (rule id -> severity)', () => {
    const s = pkg.contributes.configuration.properties['kbHints.rules'];
    assert.equal(s.type, 'object');
    assert.deepEqual(s.additionalProperties.enum, ['off', 'hint', 'info', 'warning', 'error']);
  });

  it('our diagnostics never duplicate a YAML linter: many syntax errors give one syntax-error finding', () => {
    const file = parseFile('Resources:\n  A:\n    Type: AWS::ECS::TaskDefinition\n    Properties: {\n  B: [\n  C: "x\n', 't.yaml');
    assert.ok(file.errors.length > 1);
    assert.equal(lint(file).filter((f) => f.ruleId === SYNTAX_ERROR).length, 1);
  });
});
