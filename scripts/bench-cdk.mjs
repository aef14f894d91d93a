// Figures for issue #11 (CDK findings at their source line): builds a ~5 MB cloud assembly from the ts-app
// fixture (its stack copied N times, as `ServiceStack0..N-1`, with the same sources and source maps), then
// in fresh processes (a CLI run is cold): reads the assembly and places every finding of its templates,
// by trace (compiled JavaScript present) and statically (JavaScript removed). Prints medians: `placeMs` is
// the step after the lint as the CLI runs it (sources read on a worker during the lint);
// `placeMsParserInThread` the same step reading the sources in this thread.
//   node scripts/bench-cdk.mjs [--stacks 64] [--runs 5]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const STACKS = arg('stacks', 64);
const RUNS = arg('runs', 5);

function build(withJs) {
  const src = path.join(root, 'test/cdk/fixtures/ts-app');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-hints-cdk-bench-'));
  fs.cpSync(src, dir, { recursive: true, filter: (f) => !f.includes(`${path.sep}cdk.out`) && (withJs || !/\.js(\.map)?$/.test(f)) });
  fs.writeFileSync(path.join(dir, 'bin/app.ts'), `import { App } from 'aws-cdk-lib';\nimport { ServiceStack } from '../lib/service-stack';\n\nconst app = new App();\nfor (let i = 0; i < ${STACKS}; i++) new ServiceStack(app, \`ServiceStack\${i}\`);\n`);
  const out = path.join(dir, 'cdk.out');
  fs.mkdirSync(out);
  const manifest = JSON.parse(fs.readFileSync(path.join(src, 'cdk.out/manifest.json'), 'utf8'));
  const stackArtifact = manifest.artifacts.ServiceStack;
  const template = fs.readFileSync(path.join(src, 'cdk.out/ServiceStack.template.json'), 'utf8');
  const metadata = fs.readFileSync(path.join(src, 'cdk.out/ServiceStack.metadata.json'), 'utf8');
  const artifacts = {};
  for (let i = 0; i < STACKS; i++) {
    const name = `ServiceStack${i}`;
    fs.writeFileSync(path.join(out, `${name}.template.json`), template.replaceAll('"ServiceStack/', `"${name}/`));
    fs.writeFileSync(path.join(out, `${name}.metadata.json`), metadata.replaceAll('"/ServiceStack', `"/${name}`));
    artifacts[name] = { ...stackArtifact, displayName: name, additionalMetadataFile: `${name}.metadata.json`, properties: { ...stackArtifact.properties, templateFile: `${name}.template.json` }, dependencies: [] };
  }
  fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify({ version: manifest.version, artifacts }, null, 1));
  fs.copyFileSync(path.join(src, 'cdk.out/cdk.out'), path.join(out, 'cdk.out'));
  let bytes = 0;
  for (const f of fs.readdirSync(out)) bytes += fs.statSync(path.join(out, f)).size;
  return { dir, bytes };
}

// One cold measurement: the templates are linted first (not counted), then the assembly read and the findings placed.
const CHILD = `
const fs = require('fs');
const E = require(${JSON.stringify(path.join(root, 'dist/engine.js'))});
const dir = process.argv[1];
const out = dir + '/cdk.out';
// As the CLI: the sources are parsed on a worker while the templates are linted.
const prefetch = process.env.NO_PREFETCH ? Promise.resolve() : E.prefetchSourceFacts([dir]);
const results = fs.readdirSync(out).filter((f) => f.endsWith('.template.json')).map((f) => {
  const p = out + '/' + f;
  return { path: p, findings: E.lint(E.parseFile(fs.readFileSync(p, 'utf8'), p)) };
});
prefetch.then(() => {
  const t0 = performance.now();
  const stats = E.relocateCdkFindings(results);
  process.stdout.write(JSON.stringify({ ms: performance.now() - t0, ...stats }));
});
`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
for (const withJs of [true, false]) {
  const { dir, bytes } = build(withJs);
  const runs = [];
  const noPrefetch = [];
  for (let i = 0; i < RUNS; i++) {
    for (const [list, env] of [[runs, {}], [noPrefetch, { NO_PREFETCH: '1' }]]) {
      const r = spawnSync(process.execPath, ['-e', CHILD, dir], { encoding: 'utf8', env: { ...process.env, ...env } });
      if (r.status !== 0) throw new Error(r.stderr);
      list.push(JSON.parse(r.stdout));
    }
  }
  const last = runs[runs.length - 1];
  rows.push({ mode: withJs ? 'traces + source maps' : 'static (no JavaScript)', assemblyMB: +(bytes / 1e6).toFixed(2), stacks: STACKS, findings: last.onAssemblies, placed: last.placed, byTrace: last.byTrace, placeMs: Math.round(median(runs.map((r) => r.ms))), placeMsParserInThread: Math.round(median(noPrefetch.map((r) => r.ms))) });
  fs.rmSync(dir, { recursive: true, force: true });
}
console.log(`node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}`);
console.table(rows);
