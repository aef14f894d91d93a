// @ts-check
// `kb-hints lint <chart folder>`: templates linted as Helm templates with the chart's values (and the value
// files .kbhints.yaml names), values files not linted as manifests, related values locations in JSON/SARIF.
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { defined } = require('../helpers/expect');
const { jsonFindings } = require('../helpers/cli');

/** @typedef {import('../helpers/cli').JsonFinding} JsonFinding */
/** @typedef {import('../helpers/cli').SarifLog} SarifLog */

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const CHARTS = 'test/helm/charts';

/** @param {string[]} args */
function run(args) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  if (r.error) throw r.error;
  return r;
}

describe('CLI on Helm charts', () => {
  it('lints every template of a chart folder with its values; values.yaml and helpers are skipped', () => {
    const r = run(['lint', `${CHARTS}/web`, '-f', 'json']);
    assert.equal(r.status, 1, r.stderr); // k8s-rwx-on-ebs is an error
    const findings = jsonFindings(r.stdout);
    assert.deepEqual(
      findings.map((f) => `${path.basename(f.file)}:${f.line}:${f.column} ${f.ruleId}`),
      ['deployment.yaml:20:11 k8s-hostpath-volume', 'deployment.yaml:29:9 k8s-hostpath-volume', 'endpoints.yaml:8:9 k8s-service-classic-lb', 'pvc.yaml:8:7 k8s-rwx-on-ebs', 'service.yaml:12:9 k8s-service-classic-lb'],
    );
    const svc = findings.find((f) => f.file.endsWith('service.yaml') && f.ruleId === 'k8s-service-classic-lb' && !f.file.endsWith('endpoints.yaml'));
    assert.deepEqual(defined(svc).related, [{ file: path.join(CHARTS, 'web/values.yaml'), line: 2, column: 3, endLine: 2, endColumn: 21, message: '`service.type` in values.yaml sets this' }]);
    const text = run(['lint', `${CHARTS}/web`]).stdout;
    assert.match(text, /in 5 linted files; 3 skipped;/); // Chart.yaml, values.yaml, related.json are not manifests
  });

  it('merges the value files .kbhints.yaml names over values.yaml, in order', () => {
    const quiet = jsonFindings(run(['lint', `${CHARTS}/appmesh-gateway`, '-f', 'json']).stdout);
    assert.deepEqual(quiet.map((f) => f.ruleId), []);
    const dev = jsonFindings(run(['lint', `${CHARTS}/appmesh-gateway-dev`, '-f', 'json']).stdout);
    assert.deepEqual(dev.map((f) => `${path.basename(f.file)}:${f.line} ${f.ruleId}`), ['service.yaml:13 k8s-service-classic-lb']);
  });

  it('SARIF: a related location in the values file names that file', () => {
    /** @type {SarifLog} */
    const sarif = JSON.parse(run(['lint', `${CHARTS}/web/templates/service.yaml`, '-f', 'sarif']).stdout);
    const [result] = sarif.runs[0].results;
    assert.equal(result.ruleId, 'k8s-service-classic-lb');
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'test/helm/charts/web/templates/service.yaml');
    assert.deepEqual(defined(result.relatedLocations).map((l) => [l.physicalLocation.artifactLocation.uri, l.physicalLocation.region.startLine]), [['test/helm/charts/web/values.yaml', 2]]);
  });

  it('a value the renderer cannot compute (randAlphaNum) reads as an ellipsis in messages, not as a marker', () => {
    const [f] = jsonFindings(run(['lint', `${CHARTS}/random-name`, '-f', 'json']).stdout);
    assert.equal(f.ruleId, 'image-from-docker-hub');
    assert.match(f.detail ?? '', /the pods of Pod\/release-name-ui-test-… can fail/);
    assert.doesNotMatch(`${f.message} ${f.detail}`, /helm-unknown/);
  });
});
