// @ts-check
// The Helm template engine, construct by construct: what it renders, where the output came from in the
// template (segments), and what it marks unknown.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { helm, parseFile, analyze } = require('../helpers/engine');
const { tempDir } = require('../helpers/tmp');

const P = helm.HELM_PLACEHOLDER;
/** @param {string} src @param {any} [values] @param {string} [helpers] */
const render = (src, values = {}, helpers = '') => helm.renderTemplate(src, values, helpers).text;
/** @param {string} src @param {any} [values] */
const unknowns = (src, values = {}) => helm.renderTemplate(src, values).unknownAt.length;

describe('Helm template engine', () => {
  describe('values and text', () => {
    it('prints .Values paths, .Release, .Chart and .Capabilities defaults', () => {
      assert.equal(render('a: {{ .Values.x.y }}', { x: { y: 'Z' } }), 'a: Z');
      assert.equal(render('{{ .Release.Name }} {{ .Release.Namespace }} {{ .Chart.Name }} {{ .Chart.AppVersion }} {{ .Capabilities.KubeVersion.Version }}'), 'release-name default demo 1.0.0 v1.31.0');
      assert.equal(render('{{ .Values.n }} {{ .Values.f }} {{ .Values.b }}', { n: 3, f: 1.5, b: true }), '3 1.5 true');
    });
    it('trims whitespace at {{- and -}}, drops comments', () => {
      assert.equal(render('a:\n  {{- /* note */ -}}\n  b'), 'a:b');
      assert.equal(render('x  {{- "y" -}}  z'), 'xyz');
      assert.equal(render('{{/* a comment */}}k: v'), 'k: v');
    });
    it('keeps literal text 1:1 and maps an action to its whole range', () => {
      const src = 'type: {{ .Values.t }}\n';
      const r = helm.renderTemplate(src, 'x: 1\nt: LoadBalancer\n');
      assert.equal(r.text, 'type: LoadBalancer\n');
      const action = r.segments.find((s) => !s.literal);
      assert.ok(action);
      assert.deepEqual([action.out, action.len, action.src, action.srcEnd], [6, 12, 6, 21]);
      assert.deepEqual([action.origin?.path, action.origin?.start, action.origin?.end], ['t', 5, 20]);
    });
  });

  describe('control structures', () => {
    it('if / else if / else', () => {
      const t = '{{ if .Values.a }}A{{ else if .Values.b }}B{{ else }}C{{ end }}';
      assert.equal(render(t, { a: 1, b: 1 }), 'A');
      assert.equal(render(t, { a: 0, b: 'x' }), 'B');
      assert.equal(render(t, { a: '', b: [] }), 'C');
    });
    it('with sets the dot, and its else', () => {
      assert.equal(render('{{ with .Values.m }}{{ .k }}{{ else }}none{{ end }}', { m: { k: 'v' } }), 'v');
      assert.equal(render('{{ with .Values.m }}{{ .k }}{{ else }}none{{ end }}', { m: {} }), 'none');
    });
    it('range over lists (with index) and maps (sorted keys), $ is the root, else when empty', () => {
      assert.equal(render('{{ range $i, $e := .Values.l }}{{ $i }}={{ $e.n }};{{ end }}', { l: [{ n: 'a' }, { n: 'b' }] }), '0=a;1=b;');
      assert.equal(render('{{ range $k, $v := .Values.m }}{{ $k }}:{{ $v }},{{ end }}', { m: { z: 1, a: 2 } }), 'a:2,z:1,');
      assert.equal(render('{{ range .Values.l }}{{ $.Values.p }}{{ . }}{{ end }}', { l: [1, 2], p: '-' }), '-1-2');
      assert.equal(render('{{ range .Values.l }}x{{ else }}empty{{ end }}', { l: [] }), 'empty');
      assert.equal(render('{{ range .Values.l }}{{ if eq . 2 }}{{ break }}{{ end }}{{ . }}{{ end }}', { l: [1, 2, 3] }), '1');
    });
    it('variables: declare, assign, scope', () => {
      assert.equal(render('{{ $x := "a" }}{{ if true }}{{ $x = "b" }}{{ end }}{{ $x }}'), 'b');
    });
  });

  describe('named templates', () => {
    const helpers = '{{- define "c.name" -}}{{ .Chart.Name }}-{{ .Values.suffix }}{{- end -}}{{- define "c.labels" -}}\na: 1\nb: {{ .x }}\n{{- end -}}';
    it('define / include / template, from helpers, with nindent', () => {
      assert.equal(render('n: {{ include "c.name" . }}', { suffix: 's' }, helpers), 'n: demo-s');
      assert.equal(render('n: {{ template "c.name" . }}', { suffix: 's' }, helpers), 'n: demo-s');
      assert.equal(render('m:\n  {{- include "c.labels" (dict "x" 2) | nindent 2 }}', {}, helpers), 'm:\n  a: 1\n  b: 2');
    });
    it('maps what a named template wrote to the include action', () => {
      const src = 'm:\n  {{- include "c.labels" (dict "x" 2) | nindent 2 }}';
      const r = helm.renderTemplate(src, {}, helpers);
      const inc = r.segments.filter((s) => !s.literal);
      assert.equal(inc.length, 1);
      assert.deepEqual([inc[0].src, inc[0].srcEnd], [5, src.length]);
    });
    it('an undefined template is unknown', () => {
      assert.equal(render('n: {{ include "nope" . }}'), `n: ${P}`);
    });
  });

  describe('functions', () => {
    it('toYaml, indent, nindent, quote, squote', () => {
      assert.equal(render('{{ toYaml .Values.r }}', { r: { b: [1, { c: 'x y' }], a: 'true' } }), "a: 'true'\nb:\n- 1\n- c: x y");
      assert.equal(render('{{ "a\\nb" | indent 2 }}|{{ "a" | nindent 2 }}'), '  a\n  b|\n  a');
      assert.equal(render('{{ .Values.s | quote }} {{ squote "x" }}', { s: 'v"' }), '"v\\"" \'x\'');
    });
    it('default, required, empty, coalesce, ternary', () => {
      assert.equal(render('{{ default "d" .Values.a }} {{ default "d" .Values.b }} {{ .Values.none | default "x" }}', { a: '', b: 'B' }), 'd B x');
      assert.equal(render('{{ required "set it" .Values.a }}', { a: 'A' }), 'A');
      assert.equal(render('x: {{ required "set it" .Values.a }}', {}), `x: ${P}`);
      assert.equal(render('{{ ternary "y" "n" .Values.t }} {{ coalesce .Values.a "c" }} {{ empty .Values.a }}', { t: true, a: '' }), 'y c true');
    });
    it('printf, tpl, merge/dict, hasKey, semverCompare, eq/and/or/not, len, index', () => {
      assert.equal(render('{{ printf "%s:%d-%v" "a" 3 true }}'), 'a:3-true');
      assert.equal(render('{{ tpl .Values.t . }}', { t: '{{ .Values.n }}!', n: 'N' }), 'N!');
      assert.equal(render('{{ $d := merge (dict "a" 1) (dict "a" 2 "b" 3) }}{{ $d.a }}{{ $d.b }}'), '13');
      assert.equal(render('{{ hasKey .Values "a" }} {{ hasKey .Values "z" }}', { a: null }), 'true false');
      assert.equal(render('{{ semverCompare ">=1.21-0" .Capabilities.KubeVersion.Version }} {{ semverCompare "<1.19" "v1.31.0" }} {{ semverCompare "^1.2.0" "1.9.1" }}'), 'true false true');
      assert.equal(render('{{ and 1 "" }}|{{ or "" "b" }}|{{ not 0 }}|{{ eq "a" "b" "a" }}|{{ len .Values.l }}|{{ index .Values.m "k" }}', { l: [1, 2], m: { k: 'v' } }), '|b|true|true|2|v');
      assert.equal(render('{{ .Capabilities.APIVersions.Has "apps/v1" }} {{ .Capabilities.APIVersions.Has "policy/v1beta1" }}'), 'true false');
    });
    it('string cases as Sprig has them: camelcase, snakecase, kebabcase, untitle, substr', () => {
      assert.equal(render('{{ camelcase "http_server" }} {{ camelcase "query-frontend" }} {{ snakecase "HTTPServer" }} {{ snakecase "FirstName" }} {{ kebabcase "queryFrontend" }}'), 'HttpServer QueryFrontend http_server first_name query-frontend');
      assert.equal(render('{{ untitle "Hello World" }} {{ substr 0 5 "hello world" }} {{ substr 6 -1 "hello world" }} {{ substr -1 5 "hello world" }}'), 'hello world hello world hello');
    });
  });

  describe('unknown values', () => {
    it('an unset value prints as a placeholder inline, is nil in a condition', () => {
      assert.equal(render('image: {{ .Values.image.repo }}:1'), `image: ${P}:1`);
      assert.equal(render('{{ if .Values.off }}on{{ else }}off{{ end }}'), 'off');
      assert.equal(render('{{ .Values.x | default "d" }}'), 'd');
    });
    it('random values, unimplemented functions, .Files.Glob are unknown; an unknown condition or block is marked', () => {
      assert.equal(render('a: {{ randAlphaNum 8 }}'), `a: ${P}`);
      assert.equal(render('a: {{ someFunction 1 }}'), `a: ${P}`);
      assert.equal(unknowns('{{ if randAlphaNum 8 }}x{{ end }}'), 1);
      assert.equal(unknowns('{{ range randAlphaNum 8 }}x{{ end }}'), 1);
      assert.equal(unknowns('a:\n  {{- toYaml (randAlphaNum 8) | nindent 2 }}'), 1);
      assert.equal(unknowns('{{ if .Capabilities.APIVersions.Has "monitoring.coreos.com/v1" }}x{{ end }}'), 1);
      assert.equal(unknowns('{{ if and (.Capabilities.APIVersions.Has "monitoring.coreos.com/v1") .Values.off }}x{{ end }}'), 0);
    });
    it('an unknown value alone on its template line is a block, even when {{- joins it to the line before', () => {
      const src = 'rules:\n- verbs: ["get"]\n{{- include "x.rules" . }}\n';
      const r = helm.renderTemplate(src, {}, '{{- define "x.rules" -}}\n{{- if (notAFunction .Values) }}\n- verbs: ["list"]\n{{- end }}\n{{- end }}');
      assert.equal(r.unknownAt.length, 1);
      assert.equal(unknowns('image: {{ .Values.repo }}:{{ .Values.tag }}\nname: x{{ randAlphaNum 8 }}'), 0);
    });
    it('dig, any, all, typeOf, regexSplit, regexFind, regexFindAll as Sprig has them', () => {
      assert.equal(render('{{ dig "a" "b" "d" .Values }} {{ dig "a" "x" "d" .Values }} {{ dig "z" "x" "d" .Values }}', { a: { b: 'B' } }), 'B d d');
      assert.equal(render('{{ any 0 "" "x" }} {{ any 0 "" }} {{ all 1 "x" }} {{ all 1 "" }} {{ any .Values.missing }}'), 'true false true false false');
      assert.equal(render('{{ typeOf "s" }} {{ typeOf 1 }} {{ typeOf .Values.l }} {{ typeOf .Values.m }} {{ typeOf .Values.nope }}', { l: [1], m: { a: 1 } }), 'string int []interface {} map[string]interface {} <nil>');
      assert.equal(render('{{ range regexSplit "\\n" .Values.args -1 }}[{{ . }}]{{ end }} {{ regexSplit "," "a,b,c" 2 | join "|" }} {{ regexSplit "," "a,b,c" 0 | len }}', { args: '--a\n--b' }), '[--a][--b] a|b,c 0');
      assert.equal(render('{{ regexFind "[0-9]+" "ab12cd34" }} {{ regexFindAll "[0-9]" "a1b2c3" 2 | join "," }}'), '12 1,2');
    });
    it('lookup finds nothing, as in helm template (an empty map); reverse and slice', () => {
      assert.equal(render('{{ $s := lookup "v1" "Secret" "ns" "n" }}{{ if $s }}reuse{{ else }}new{{ end }} {{ len $s }}'), 'new 0');
      assert.equal(unknowns('{{ if (lookup "v1" "Secret" "" "x").data }}x{{ end }}'), 0);
      assert.equal(render('{{ list "a" "b" "c" | reverse | join "," }} {{ slice (list 1 2 3 4) 1 3 | join "," }} {{ keys .Values | sortAlpha | reverse | join "," }}', { x: 1, y: 2 }), 'c,b,a 2,3 y,x');
    });
    it('pluck, without, nospace, base/dir/ext, semver, ceil/floor/round, printf %T; index of a missing key is nil', () => {
      assert.equal(render('{{ pluck "a" .Values.x .Values.y | join "," }} {{ pluck "z" .Values.x | len }}', { x: { a: 1 }, y: { a: 2, b: 3 } }), '1,2 0');
      assert.equal(render('{{ without (list 1 2 3 2) 2 | join "," }} {{ nospace " a b\tc " }}'), '1,3 abc');
      assert.equal(render('{{ base "/a/b.tar.gz" }} {{ dir "/a/b.tar.gz" }} {{ ext "/a/b.tar.gz" }} {{ dir "x" }} {{ base "" }}'), 'b.tar.gz /a .gz . .');
      assert.equal(render('{{ (semver "v1.31.2-eks-1").Major }}.{{ (semver "1.31.2").Minor }} {{ (semver "1.31.2-rc.1").Prerelease }}'), '1.31 rc.1');
      assert.equal(render('{{ ceil 1.2 }} {{ floor 1.8 }} {{ round 2.345 2 }}'), '2 1 2.35');
      assert.equal(render('{{ printf "%T %T %T %T" "s" 1 .Values.m .Values.l }}', { m: { a: 1 }, l: [1] }), 'string int map[string]interface {} []interface {}');
      // Go's index of a map's missing key is the zero value, nil: false in a condition, not unknown.
      assert.equal(render('{{ if index .Values "web" "nodeSelector" }}yes{{ else }}no{{ end }}', { web: { image: 'x' } }), 'no');
      assert.equal(unknowns('{{ if index (dict "image" "x") "nodeSelector" }}yes{{ end }}'), 0);
    });
    it('a dict entry from a value that is not set is nil: range over it does nothing', () => {
      assert.equal(render('{{ $d := dict "c" .Values.nope }}{{ kindOf $d.c }} {{ hasKey $d "c" }}{{ range $d.c }}x{{ end }}'), 'invalid true');
      assert.equal(unknowns('{{ $d := dict "c" .Values.nope }}{{ range $k, $v := $d.c }}x{{ end }}'), 0);
    });
    it('toYaml as Helm writes it: multi-line strings as literal blocks (tpl can read them again), an unset value as null', () => {
      assert.equal(render('a:\n{{ toYaml .Values.x | indent 2 }}', { x: { script: 'echo "hi"\nexit 0\n', two: 'a\nb', lead: ' x\ny' } }), 'a:\n  lead: " x\\ny"\n  script: |\n    echo "hi"\n    exit 0\n  two: |-\n    a\n    b');
      assert.equal(render('{{ tpl (toYaml .Values.x) . }}', { x: { cmd: 'echo {{ "q" }}\nok\n' } }), 'cmd: |\n  echo q\n  ok');
      assert.equal(render('resources: {{ toYaml .Values.resources }}'), 'resources: null');
      assert.equal(unknowns('resources:\n  {{- toYaml .Values.resources | nindent 2 }}'), 0);
    });
    it('OpenShift APIs are never served (charts that adapt to OpenShift render for EKS)', () => {
      assert.equal(render('{{ if .Capabilities.APIVersions.Has "security.openshift.io/v1" }}openshift{{ else }}eks{{ end }}'), 'eks');
      assert.equal(render('{{ .Capabilities.APIVersions.Has "route.openshift.io/v1/Route" }}'), 'false');
    });
    it('an unknown value a pipe hashes or quotes is one scalar, even after toYaml', () => {
      assert.equal(render('checksum: {{ randAlphaNum 8 | toYaml | sha256sum }}'), `checksum: ${P}`);
      assert.equal(unknowns('checksum: {{ randAlphaNum 8 | toYaml | sha256sum }}'), 0);
      assert.equal(unknowns('a: {{ randAlphaNum 8 | quote | toYaml }}'), 1);
      assert.equal(unknowns('a: {{ randAlphaNum 8 | toYaml | trim }}'), 1);
    });
  });

  describe('syntax errors', () => {
    for (const [src, message] of /** @type {Array<[string, RegExp]>} */ ([
      ['a: {{ .Values.', /unclosed action/],
      ['a: {{ .Values.x }', /unclosed action/],
      ['{{ if .Values.x }}\na: 1\n', /\{\{if\}\} without a matching \{\{end\}\}/],
      ['{{ end }}', /unexpected \{\{end\}\}/],
      ['{{ "abc }}', /unterminated quoted string/],
    ]))
      it(`${JSON.stringify(src)}`, () => assert.throws(() => helm.parseTemplate(String(src)), message));
  });
});

describe('Helm templates while typing', () => {
  const chart = path.join(__dirname, 'charts', 'web');
  const uri = path.join(chart, 'templates', 'typing.yaml');
  const base = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "web.fullname" . }}\nspec:\n  type: {{ .Values.service.type }}\n';
  const partial = [
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "web.fullname" .',
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "web.fullname" . }}\n  {{- if .Values.service.annotations }}\n  annotations:\n',
    base + '  ports:\n    - port: {{ .Values.',
    base + '  ports:\n   - port: 80\n  - bad: [\n',
    base + '{{- range .Values.endpoints }}\n  x: {{ .name',
  ];
  for (const text of partial)
    it(`gives one diagnostic: ${JSON.stringify(text.slice(-30))}`, () => {
      const a = analyze(text, uri);
      assert.equal(a.file.kind, 'helm');
      const diagnostics = a.findings.filter((f) => f.ruleId === 'syntax-error');
      assert.equal(diagnostics.length, 1, JSON.stringify(a.findings.map((f) => f.message)));
      assert.ok(diagnostics[0].start <= text.length && diagnostics[0].end <= text.length);
    });
  it('the complete template lints as usual', () => {
    const a = analyze(base, uri);
    assert.deepEqual(a.findings.map((f) => f.ruleId), ['k8s-service-classic-lb']);
  });
});

describe('Helm: a line that range renders several times', () => {
  it('gives its finding once, naming the other objects', () => {
    const file = path.join(__dirname, 'charts', 'web', 'templates', 'endpoints.yaml');
    const a = analyze(require('node:fs').readFileSync(file, 'utf8'), file);
    assert.equal(a.findings.length, 1);
    assert.match(a.findings[0].message, /^Service\/release-name-web-api gets a Classic Load Balancer/);
    assert.match(a.findings[0].message, / \(and 1 more object\)$/);
    assert.match(a.findings[0].detail ?? '', /^The same template line renders Service\/release-name-web-admin with the same finding \(shown once\)\. /);
  });
  it('YAML that only the rendered output breaks is a warning that points at the chart values', () => {
    const template = 'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers:\n    - name: app\n      image: {{ .Values.repo }}:{{ .Values.tag }}\n';
    const chart = tempDir({ 'Chart.yaml': 'apiVersion: v2\nname: demo\nversion: 0.1.0\n', 'values.yaml': 'repo: sonarqube\ntag: ""\n', 'templates/pod.yaml': template });
    after(() => chart.cleanup());
    const [error] = analyze(template, chart.file('templates/pod.yaml')).findings.filter((f) => f.ruleId === 'syntax-error');
    assert.equal(error.severity, 'warning');
    assert.match(error.message, /\(in the rendered template\)$/);
    assert.match(error.detail ?? '', /With the chart's values this template renders YAML that does not parse/);
    // In the text as written it stays an error.
    assert.equal(analyze('a: [1\n', chart.file('templates/bad.yaml')).findings[0].severity, 'error');
  });
  it('a template whose every document depends on what is not evaluated is skipped, saying why; one known document keeps it linted', () => {
    const unknown = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  {{- notAFunction .Values | nindent 2 }}\n';
    const chart = tempDir({ 'Chart.yaml': 'apiVersion: v2\nname: demo\nversion: 0.1.0\n', 'values.yaml': '', 'templates/pod.yaml': unknown });
    after(() => chart.cleanup());
    const file = parseFile(unknown, chart.file('templates/pod.yaml'));
    assert.equal(file.kind, undefined);
    assert.match(file.skipped ?? '', /^a Helm template that could not be rendered \(every document depends on values or functions/);
    const mixed = `${unknown}---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n`;
    assert.equal(parseFile(mixed, chart.file('templates/mixed.yaml')).kind, 'helm');
  });
  it("a subchart the parent turns off (its dependency's condition, or its tags) is not rendered, as Helm renders none of it", () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers:\n    - { name: app, image: "busybox:1.36" }\n';
    const parent = (/** @type {string} */ values) =>
      tempDir({
        'Chart.yaml': 'apiVersion: v2\nname: top\nversion: 0.1.0\ndependencies:\n  - { name: promtail, version: 1.0.0, condition: "promtail.enabled,logs.enabled" }\n  - { name: agent, alias: fluent, version: 1.0.0, tags: [logging] }\n',
        'values.yaml': values,
        'charts/promtail/Chart.yaml': 'apiVersion: v2\nname: promtail\nversion: 1.0.0\n',
        'charts/promtail/templates/pod.yaml': pod,
        'charts/fluent/Chart.yaml': 'apiVersion: v2\nname: agent\nversion: 1.0.0\n',
        'charts/fluent/templates/pod.yaml': pod,
      });
    const off = parent('promtail: { enabled: false }\nlogs: { enabled: true }\ntags: { logging: false }\n');
    const on = parent('logs: { enabled: true }\n');
    after(() => (off.cleanup(), on.cleanup()));
    const promtail = parseFile(pod, off.file('charts/promtail/templates/pod.yaml'));
    assert.equal(promtail.kind, undefined);
    assert.equal(promtail.skipped, 'a template of subchart promtail, which its parent chart turns off (promtail.enabled is false in its values)');
    assert.equal(parseFile(pod, off.file('charts/fluent/templates/pod.yaml')).skipped, 'a template of subchart agent, which its parent chart turns off (tags.logging false in its values)');
    // The first condition path that is set decides (logs.enabled here); no tags set leaves it on.
    assert.equal(analyze(pod, on.file('charts/promtail/templates/pod.yaml')).findings.filter((f) => f.ruleId === 'image-from-docker-hub').length, 1);
    assert.equal(parseFile(pod, on.file('charts/fluent/templates/pod.yaml')).kind, 'helm');
    // An aliased dependency renders under its alias: `.Chart.Name` is `fluent`, not `agent`.
    const named = 'apiVersion: v1\nkind: Service\nmetadata: { name: {{ .Chart.Name }} }\nspec: { type: LoadBalancer }\n';
    on.write('charts/fluent/templates/svc.yaml', named);
    const svc = analyze(named, on.file('charts/fluent/templates/svc.yaml')).findings.find((f) => f.ruleId === 'k8s-service-classic-lb');
    assert.match(svc?.message ?? '', /^Service\/fluent gets a Classic Load Balancer/);
  });
  it('another image on the same line is another finding', () => {
    const values = 'components:\n  cart: { image: "busybox:1.36" }\n  checkout: { image: "busybox:1.36" }\n  db: { image: "postgres:18.4" }\n';
    const template = '{{- range $name, $c := .Values.components }}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ $name }}\nspec:\n  template:\n    spec:\n      containers:\n        - name: {{ $name }}\n          image: {{ $c.image }}\n{{- end }}\n';
    const chart = tempDir({ 'Chart.yaml': 'apiVersion: v2\nname: demo\nversion: 0.1.0\n', 'values.yaml': values, 'templates/deployments.yaml': template });
    after(() => chart.cleanup());
    const a = analyze(template, chart.file('templates/deployments.yaml'));
    assert.deepEqual(a.findings.map((f) => f.message).sort(), [
      'Container cart pulls busybox:1.36 from Docker Hub: use ECR Public (and 1 more object)',
      'Container db pulls postgres:18.4 from Docker Hub: use ECR Public',
    ]);
    // Containers named apart from their objects (temporal's `<service>` containers in `release-<service>`) too.
    const named = template.replace('name: {{ $name }}\nspec', 'name: release-{{ $name }}\nspec').replace('- name: {{ $name }}', '- name: {{ $name }}-server');
    chart.write('templates/named.yaml', named);
    const b = analyze(named, chart.file('templates/named.yaml'));
    assert.deepEqual(b.findings.map((f) => f.message).sort(), [
      'Container cart-server pulls busybox:1.36 from Docker Hub: use ECR Public (and 1 more object)',
      'Container db-server pulls postgres:18.4 from Docker Hub: use ECR Public',
    ]);
  });
});

describe('Helm chart files that are not manifests', () => {
  const chart = path.join(__dirname, 'charts', 'web');
  for (const name of ['values.yaml', 'Chart.yaml', 'templates/_helpers.tpl'])
    it(`${name} is skipped`, () => {
      const f = parseFile('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n', path.join(chart, name));
      assert.equal(f.kind, undefined);
      assert.match(String(f.skipped), /Helm/);
    });
  it('a template outside a chart is a manifest when it parses (its actions are placeholders), else skipped as a template', () => {
    const dir = path.join(__dirname, 'not-a-chart', 'templates');
    const f = parseFile('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.x }}\n', path.join(dir, 'cm.yaml'));
    assert.equal(f.kind, 'kubernetes');
    const g = parseFile('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.x }}-cm\n', path.join(dir, 'cm.yaml'));
    assert.match(String(g.skipped), /^a \{\{ \}\} template \(Helm, Go, mustache\.\.\.\) that does not parse as YAML/);
  });
});

describe('Helm templates: suppressions and hostile input', () => {
  const chart = path.join(__dirname, 'charts', 'web');
  const uri = path.join(chart, 'templates', 'x.yaml');
  it('a kb-hints-ignore comment in the template suppresses the finding under it', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  # kb-hints-ignore k8s-service-classic-lb reason="internal test"\n  type: {{ .Values.service.type }}\n';
    const a = analyze(text, uri, { today: '2026-12-01' });
    assert.deepEqual(a.findings.map((f) => [f.ruleId, !!f.suppressed]), [['k8s-service-classic-lb', true]]);
  });
  it('set/merge on .Values in one render do not leak into the next', () => {
    const first = parseFile('{{ $_ := set .Values.service "type" "ClusterIP" }}apiVersion: v1\nkind: Service\nmetadata: { name: a }\nspec:\n  type: {{ .Values.service.type }}\n', uri);
    assert.equal(helm.helmRenderOf(first)?.output.trim().split('\n').pop()?.trim(), 'type: ClusterIP');
    const second = analyze('apiVersion: v1\nkind: Service\nmetadata: { name: a }\nspec:\n  type: {{ .Values.service.type }}\n', uri);
    assert.deepEqual(second.findings.map((f) => f.ruleId), ['k8s-service-classic-lb']);
  });
  it('runaway loops, huge output, deep nesting and self-inclusion stop the render, never the process', () => {
    for (const text of [
      '{{ range until 10000 }}{{ range until 10000 }}x{{ end }}{{ end }}',
      '{{ range until 10000 }}{{ "x" | repeat 10000 }}{{ end }}',
      '{{ define "a" }}{{ include "a" . }}{{ end }}{{ include "a" . }}',
      '{{ if true }}'.repeat(20000) + '{{ end }}'.repeat(20000),
      '{{ ' + '('.repeat(20000) + '1' + ')'.repeat(20000) + ' }}',
    ]) {
      const f = parseFile(text, uri);
      assert.ok(f.kind === undefined ? /could not be rendered/.test(String(f.skipped)) : f.kind === 'helm', String(f.skipped));
    }
  });
});

describe('Helm templates cut anywhere (typing)', () => {
  const fs = require('node:fs');
  const charts = path.join(__dirname, 'charts');
  /** @type {string[]} */
  const files = [];
  (function walk(/** @type {string} */ d) {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const f = path.join(d, e.name);
      if (e.isDirectory()) walk(f);
      else if (/[\\/]templates[\\/][^_][^\\/]*\.yaml$/.test(f)) files.push(f);
    }
  })(charts);
  it(`every prefix of the ${files.length} fixture templates: no throw, at most one syntax diagnostic, inside the text`, () => {
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      for (let i = 0; i <= text.length; i += Math.max(1, Math.floor(text.length / 50))) {
        const cut = text.slice(0, i);
        const a = analyze(cut, f);
        const syntax = a.findings.filter((x) => x.ruleId === 'syntax-error');
        assert.ok(syntax.length <= 1, `${f} cut at ${i}: ${syntax.map((x) => x.message).join(' / ')}`);
        for (const x of a.findings) assert.ok(x.start >= 0 && x.end <= cut.length && x.start <= x.end, `${f} cut at ${i}: ${x.ruleId} ${x.start}-${x.end}`);
      }
    }
  });
});

describe('Helm: packaged charts (charts/*.tgz)', () => {
  const FORMATS = path.join(__dirname, 'archives', 'formats');
  const LONG = 'a-very-long-folder-name-for-a-chart-library-that-goes-on-and-on/templates/and-a-nested-folder-with-a-long-name-too/_a-helper-file-with-a-long-name.tpl';
  // Made with GNU tar (`tar --format=<f> -czf`): ustar splits the 150-character path into prefix and name,
  // pax writes it in an extended header, gnu in a ././@LongLink member.
  for (const format of ['ustar', 'pax', 'gnu']) {
    it(`reads the members it is asked for from a ${format} archive, long paths whole`, () => {
      const files = helm.readTarGz(fs.readFileSync(path.join(FORMATS, `${format}.tgz`)), (name) => name.endsWith('.tpl'));
      assert.deepEqual([...files.keys()], [LONG]);
      assert.equal(files.get(LONG), '{{- define "long.name" -}}ok{{- end -}}\n');
    });
  }
  it('a truncated, damaged or non-gzip archive gives what could be read, without throwing', () => {
    const data = fs.readFileSync(path.join(FORMATS, 'pax.tgz'));
    assert.equal(helm.readTarGz(data.subarray(0, data.length / 2), () => true).size, 0);
    assert.equal(helm.readTarGz(Buffer.from('not a gzip stream'), () => true).size, 0);
    const zlib = require('node:zlib');
    const tar = zlib.gunzipSync(data);
    // A header whose size field is not a number ends the listing.
    const bad = Buffer.from(tar);
    bad.write('zzzzzzzzzzz\0', 124, 'latin1');
    assert.equal(helm.readTarGz(zlib.gzipSync(bad), () => true).size, 0);
    // A member cut short is left out; the whole ones before it are kept.
    const short = tar.subarray(0, tar.indexOf('define') + 5);
    assert.deepEqual([...helm.readTarGz(zlib.gzipSync(short), () => true).keys()], [LONG.replace(/templates\/.*/, 'Chart.yaml')]);
  });
});
