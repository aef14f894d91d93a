// @ts-check
// The language server on a Helm chart: a template is linted with the chart's values, the finding carries
// the values.yaml line as related information (in that file), and editing values.yaml in the editor
// re-lints the open templates of the chart with the unsaved values.
const assert = require('node:assert/strict');
const { pathToFileURL } = require('node:url');
const { LspClient } = require('../helpers/lsp-client');
const { tempDir } = require('../helpers/tmp');

const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  type: {{ .Values.service.type }}\n';

describe('LSP: Helm charts', function () {
  this.timeout(30000);
  /** @type {import('../helpers/tmp').TempDir} */
  let tmp;
  /** @type {LspClient} */
  let client;
  before(async () => {
    tmp = tempDir({ 'chart/Chart.yaml': 'apiVersion: v2\nname: demo\nversion: 0.1.0\n', 'chart/values.yaml': 'service:\n  type: LoadBalancer\n', 'chart/templates/service.yaml': SERVICE });
    client = new LspClient();
    await client.initialize();
  });
  after(() => {
    client.kill();
    tmp.cleanup();
  });
  const uriOf = (/** @type {string} */ rel) => pathToFileURL(tmp.file(rel)).href;

  it('lints a template with the values, related information in values.yaml; values edits re-lint it', async () => {
    const template = uriOf('chart/templates/service.yaml');
    const values = uriOf('chart/values.yaml');
    client.open(template, SERVICE);
    const first = await client.diagnostics(template, { version: 1 });
    assert.deepEqual(first.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]), [['k8s-service-classic-lb', 5, 8]]);
    const related = first.diagnostics[0].relatedInformation ?? [];
    assert.deepEqual(related.map((r) => [r.location.uri, r.location.range.start.line, r.location.range.start.character]), [[values, 1, 2]]);

    const since = client.mark();
    client.open(values, 'service:\n  type: ClusterIP\n');
    const again = await client.diagnostics(template, { since, predicate: (p) => p.diagnostics.length === 0 });
    assert.deepEqual(again.diagnostics, []);
  });
});
