// @ts-check
// Issue #11, the pieces: the Python scanner, source maps, the trace-position scan against the TypeScript
// parser, the assembly reader (nested assemblies, metadata files) and the static matcher.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const E = require('../helpers/engine');
const { tempDir } = require('../helpers/tmp');
const { defined } = require('../helpers/expect');

/** A cdk.out metadata entry, as read from JSON (`data` is the frame list of aws:cdk:creationStack). @typedef {{ type: string, data?: unknown }} MetadataEntry */

const FIXTURES = path.resolve(__dirname, '../cdk/fixtures');
const sites = (/** @type {import('../../server/src/cdk/sites').SourceFacts} */ facts) => facts.sites.map((s) => `${s.kind} ${s.callee} ${s.id ?? (s.idParam ? `@${s.idParam}` : String(s.idPattern))} ${s.scope.replace(/^top:.*/, 'top')}${s.receiver ? ` on ${s.receiver}` : ''}${s.assignedTo ? ` -> ${s.assignedTo}` : ''}`);

describe('CDK: Python scanner', () => {
  it('reads construct calls, helpers and add_* methods with their scopes', () => {
    const src = [
      'from aws_cdk import Stack',
      'class Api(Stack):',
      '    """Docstring with Fake(self, "NotAConstruct")"""',
      '    def __init__(self, scope, construct_id: str, *, env=None, **kw):',
      '        super().__init__(scope, construct_id, **kw)',
      "        # Commented(self, 'Nope')",
      "        self.repo = ecr.Repository(self, 'Repo', image_scan_on_push=False)",
      '        task = ecs.FargateTaskDefinition(',
      '            self,',
      '            f"Task{construct_id}",',
      '        )',
      "        task.add_container('web', image=x)  # trailing comment",
      "        s = '''multi",
      "line Fake(self, 'x') '''",
      '',
      'def helper(scope, name):',
      '    return ecs.Cluster(scope, name)',
      '',
      "Api(app, 'Prod' if x else 'Dev')",
      "Api(app, \"Api\\\\Esc\")",
    ].join('\n');
    const facts = E.parsePythonFacts('a.py', src);
    assert.deepEqual(facts.scopes.map((s) => `${s.key} ${s.base ?? ''} [${s.params}]`), ['top:a.py  []', 'class:Api Stack [scope,construct_id,env,kw]', 'function:helper  [scope,name]']);
    assert.deepEqual(sites(facts), [
      'new Repository Repo class:Api -> self.repo',
      'new FargateTaskDefinition /^Task.+$/ class:Api -> task',
      'method add_container web class:Api on task',
      'new Cluster @name function:helper',
      'new Api Api\\Esc top',
    ]);
  });

  it('an id through a module constant is that literal (unless a parameter shadows it)', () => {
    const src = 'REPO_ID = "Images"\nclass S(Stack):\n    def __init__(self, scope, REPO_ID):\n        ecr.Repository(self, REPO_ID)\n\ndef f(scope):\n    ecr.Repository(scope, REPO_ID)\n';
    assert.deepEqual(sites(E.parsePythonFacts('c.py', src)), ['new Repository @REPO_ID class:S', 'new Repository Images function:f']);
  });

  it('positions: from the call to the end of the id', () => {
    const src = 'x = 1\nfoo = ecs.Cluster(self,  "Main")\n';
    const [s] = E.parsePythonFacts('b.py', src).sites;
    assert.equal(src.slice(s.start, s.end), 'ecs.Cluster(self,  "Main"');
  });
});

describe('CDK: source maps', () => {
  it('maps compiled positions of the fixture back to the TypeScript', () => {
    const map = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'ts-app/lib/service-stack.js.map'), 'utf8'));
    const sm = new E.SourceMap(map.mappings, map.sources);
    const js = fs.readFileSync(path.join(FIXTURES, 'ts-app/lib/service-stack.js'), 'utf8').split('\n');
    const ts = fs.readFileSync(path.join(FIXTURES, 'ts-app/lib/service-stack.ts'), 'utf8').split('\n');
    const jsLine = js.findIndex((l) => l.includes("new ecr.Repository(this, 'Images')"));
    const o = defined(sm.originalFor(jsLine, js[jsLine].indexOf('new')));
    assert.equal(map.sources[o.source], 'service-stack.ts');
    assert.equal(ts[o.line].slice(o.column, o.column + 18), 'new ecr.Repository');
  });
});

describe('CDK: TypeScript sites', () => {
  it('an id through a const is that literal', () => {
    const src = "const ID = 'Api';\nexport class S extends Stack {\n  constructor(scope: Construct, id: string) {\n    super(scope, id);\n    new X(this, ID);\n    new Y(this, id);\n  }\n}\n";
    assert.deepEqual(sites(defined(E.parseTsFacts('c.ts', src))), ['new X Api class:S', 'new Y @id class:S']);
  });

  it('finds new, helper calls and add* methods; template literal ids become patterns', () => {
    const src = [
      "import { Construct } from 'constructs';",
      'export class Svc extends Base {',
      '  constructor(scope: Construct, id: string) {',
      '    super(scope, id);',
      '    const t = new ecs.FargateTaskDefinition(this, `Task${id}`);',
      "    t.addContainer('app', {});",
      "    this.cluster = new ecs.Cluster(this, 'C');",
      "    makeBucket(this, 'Logs');",
      "    ecs.ContainerImage.fromRegistry('nginx');",
      '  }',
      '}',
      "const mk = (scope: Construct, name: string) => new s3.Bucket(scope, name);",
    ].join('\n');
    const facts = defined(E.parseTsFacts('x.ts', src));
    assert.deepEqual(sites(facts), [
      'new FargateTaskDefinition /^Task.+$/ class:Svc -> t',
      'method addContainer app class:Svc on t',
      'new Cluster C class:Svc -> this.cluster',
      'call makeBucket Logs class:Svc',
      'new Bucket @name function:mk',
    ]);
  });
});

describe('CDK: assemblies', () => {
  it('reads nested assemblies of Stages and metadata files', () => {
    const app = defined(E.readApp(path.join(FIXTURES, 'js-app')));
    assert.deepEqual([...app.stacks.values()].map((s) => [path.basename(s.template), s.displayName]), [['ProdApi2466CF1F.template.json', 'Prod/Api']]);
    const stack = [...app.stacks.values()][0];
    assert.equal(defined(stack.resources.get('LegacyLb7E4CE05A')).path, 'Prod/Api/LegacyLb/Resource');
    assert.equal(E.readApp(path.join(FIXTURES, '..')), undefined, 'no cdk.json, no assembly');
  });

  it('finds apps under a folder, not inside node_modules or an assembly', () => {
    const t = tempDir({ 'a/cdk.json': '{}', 'a/node_modules/x/cdk.json': '{}', 'b/c/cdk.json': '{"output":"out"}', 'a/cdk.out/cdk.json': '{}' });
    try {
      assert.deepEqual(E.findAppDirs([t.dir]).map((d) => path.relative(t.dir, d)), ['a', path.join('b', 'c')]);
    } finally {
      t.cleanup();
    }
  });
});

describe('CDK: older assemblies', () => {
  it('reads inline metadata and the `trace` of aws:cdk:logicalId entries (CDK_DEBUG in older CDK)', () => {
    const t = tempDir();
    try {
      fs.cpSync(path.join(FIXTURES, 'ts-app'), t.dir, { recursive: true });
      const out = t.file('cdk.out');
      /** @type {Record<string, MetadataEntry[]>} */
      const meta = JSON.parse(fs.readFileSync(path.join(out, 'ServiceStack.metadata.json'), 'utf8'));
      // The old form: no creationStack entries, the frames (full, with `at`) on the logicalId entry.
      /** @type {Record<string, MetadataEntry[]>} */
      const inline = {};
      for (const [k, entries] of Object.entries(meta)) {
        const stack = entries.find((e) => e.type === 'aws:cdk:creationStack');
        inline[k] = entries.filter((e) => e.type !== 'aws:cdk:creationStack').map((e) => (e.type === 'aws:cdk:logicalId' && stack ? { ...e, trace: ['new Repository (/ci/work/node_modules/aws-cdk-lib/aws-ecr/lib/repository.js:1:100)', ...(/** @type {string[]} */ (stack.data)).map((f) => `    at ${f.replace('/tmp/cdkfix/ts-app', '/ci/work')}`)] } : e));
      }
      const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
      delete manifest.artifacts.ServiceStack.additionalMetadataFile;
      manifest.artifacts.ServiceStack.metadata = inline;
      fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify(manifest));
      fs.rmSync(path.join(out, 'ServiceStack.metadata.json'));
      const app = defined(E.readApp(t.dir));
      const stack = [...app.stacks.values()][0];
      assert.match(defined(defined(stack.resources.get('Images2D38C313')).trace).join('\n'), /service-stack\.js:47:9/);
      const template = path.join(out, 'ServiceStack.template.json');
      const text = fs.readFileSync(template, 'utf8');
      const p = defined(new E.AppPlacer(app).place(template, text, text.indexOf('"Images2D38C313"')));
      assert.equal(p.how, 'trace');
      assert.equal(path.relative(t.dir, p.file), path.join('lib', 'service-stack.ts'));
      assert.equal(p.start.line, 13);
    } finally {
      t.cleanup();
    }
  });
});

describe('CDK: traces without a column, ids from a member', () => {
  it('a frame with no column (`file.ts:14 (:)`, ts-node in a callback) places at the line\'s construct', () => {
    const t = tempDir();
    try {
      fs.cpSync(path.join(FIXTURES, 'ts-app'), t.dir, { recursive: true });
      const file = path.join(t.dir, 'cdk.out', 'ServiceStack.metadata.json');
      /** @type {Record<string, MetadataEntry[]>} */
      const meta = JSON.parse(fs.readFileSync(file, 'utf8'));
      meta['/ServiceStack/Images/Resource'] = [
        { type: 'aws:cdk:logicalId', data: 'Images2D38C313' },
        { type: 'aws:cdk:creationStack', data: ['...new Repository2 in aws-cdk-lib...', `${path.join(t.dir, 'lib/service-stack.ts')}:14 (:)`, 'Array.forEach (:)', '...node internals...'] },
      ];
      fs.writeFileSync(file, JSON.stringify(meta));
      const app = defined(E.readApp(t.dir));
      const template = path.join(t.dir, 'cdk.out', 'ServiceStack.template.json');
      const text = fs.readFileSync(template, 'utf8');
      const p = defined(new E.AppPlacer(app).place(template, text, text.indexOf('"Images2D38C313"')));
      assert.equal(p.how, 'trace');
      assert.deepEqual([path.relative(t.dir, p.file), p.start.line, p.start.character], [path.join('lib', 'service-stack.ts'), 13, 4]);
    } finally {
      t.cleanup();
    }
  });

  it('static placement prefers the id that says more of the segment: `${name}-arm` over `${name}` for restapi-arm', () => {
    const t = tempDir({ 'bin/app.ts': "const name = 'restapi';\nnew ecr.Repository(stack, `${name}`);\nnew ecr.Repository(stack, `${name}-arm`);\n" });
    try {
      const index = new E.SourceIndex([t.file('bin/app.ts')]);
      const line = (/** @type {string[]} */ segs) => {
        const m = defined(index.match(segs, 2));
        return fs.readFileSync(t.file('bin/app.ts'), 'utf8').slice(0, m.site.start).split('\n').length;
      };
      assert.equal(line(['Stack', 'restapi-arm', 'Resource']), 3);
      assert.equal(line(['Stack', 'restapi', 'Resource']), 2);
    } finally {
      t.cleanup();
    }
  });

  it('a construct whose id is a member of a value (`service.serviceName`) is a construct expression', () => {
    const text = 'for (const s of services) {\n  new ecr.Repository(stack, s.serviceName);\n  new ecr.Repository(stack, s?.name, {});\n}\n';
    const first = text.indexOf('new');
    assert.deepEqual(E.callAt(text, first), { start: first, end: text.indexOf(');') });
    assert.ok(E.callAt(text, text.indexOf('new', first + 1)));
    assert.equal(E.callAt('new ecr.Repository(stack, ids[0]);', 0), undefined, 'an index is not a name');
  });
});

describe('CDK: placement', () => {
  it('the trace scan and the parser agree on every construct site of the TypeScript fixtures', () => {
    // callsite.ts (used for traces, without the parser) gives the same range as the parser's sites.
    for (const f of ['lib/service-stack.ts', 'lib/worker.ts', 'lib/helpers.ts', 'bin/app.ts']) {
      const file = path.join(FIXTURES, 'ts-app', f);
      const text = fs.readFileSync(file, 'utf8');
      const facts = defined(E.parseTsFacts(file, text));
      for (const s of facts.sites) {
        // Where V8 puts a frame: at `new`, or at the called name.
        const at = s.kind === 'new' ? s.start : text.indexOf(s.callee, s.start);
        assert.deepEqual(E.callAt(text, at), { start: s.start, end: s.end }, `${f}: ${text.slice(s.start, s.end)}`);
      }
    }
  });

  it('leaves a resource the sources do not make where it is; places a helper-made one in the helper', () => {
    const app = defined(E.readApp(path.join(FIXTURES, 'ts-nojs')));
    const placer = new E.AppPlacer(app);
    const template = path.join(FIXTURES, 'ts-nojs/cdk.out/ServiceStack.template.json');
    const text = fs.readFileSync(template, 'utf8');
    const offsetOf = (/** @type {string | undefined} */ id) => text.indexOf(`"${id}": {`);
    assert.equal(placer.place(template, text, offsetOf('CDKMetadata')), undefined);
    // Made by the library at synth time (no user frame in its trace): the helper's task definition line.
    const exec = defined(placer.place(template, text, offsetOf(Object.keys(JSON.parse(text).Resources).find((k) => /^MailerExecutionRole[0-9A-F]{8}$/.test(k)))));
    assert.equal(path.basename(exec.file), 'helpers.ts');
    assert.equal(exec.how, 'static');
    assert.equal(exec.start.line, 5);
  });
});
