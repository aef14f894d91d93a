// What ships: the .vsix (vsce ls: the clients, the servers (Node and Web Worker) and what they load, README images, icon; no
// CLI, maps or kb/ sources), the npm package (npm pack: the CLI, the server, the engine; no client,
// sources, tests or maps), the manifest fields the Marketplace shows, and the README's npx lines
// resolving to this package's bins (from a packed tarball, offline).
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { tempDir } = require('../helpers/tmp');

const ROOT = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const run = (cmd, args, cwd = ROOT) => {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr || r.stdout}`);
  return r.stdout;
};

describe('packaging', function () {
  this.timeout(60000);

  it('the manifest: icon, CHANGELOG, bugs, homepage, prepublish build, virtual workspaces limited', () => {
    assert.ok(fs.statSync(path.join(ROOT, pkg.icon)).size > 0);
    assert.equal(fs.readFileSync(path.join(ROOT, pkg.icon)).subarray(1, 4).toString(), 'PNG');
    assert.ok(fs.existsSync(path.join(ROOT, 'CHANGELOG.md')));
    assert.match(pkg.bugs.url, /^https:\/\/github\.com\/kb-hints\/kb-hints\/issues$/);
    assert.match(pkg.homepage, /^https:\/\//);
    assert.match(pkg.scripts['vscode:prepublish'], /build\.mjs --production/);
    assert.match(pkg.scripts.package, /--no-rewrite-relative-links/, 'README images load from the .vsix');
    assert.equal(pkg.capabilities.virtualWorkspaces.supported, 'limited');
    assert.match(pkg.capabilities.virtualWorkspaces.description, /\.kbhints\.yaml/);
    // The web extension (vscode.dev, github.dev) beside the desktop one.
    assert.equal(pkg.main, './dist/client.js');
    assert.equal(pkg.browser, './dist/browserClient.js');
  });

  it('the .vsix holds only what VS Code runs (vsce ls)', () => {
    const files = run(process.execPath, [require.resolve('@vscode/vsce/vsce'), 'ls', '--no-dependencies']).split('\n').filter(Boolean).sort();
    for (const f of ['dist/client.js', 'dist/server.js', 'dist/cdk-facts.js', 'dist/browserClient.js', 'dist/browserServer.js', 'images/icon.png', 'docs/images/problems.png', 'schemas/kbhints.schema.json', 'CHANGELOG.md', 'package.json']) assert.ok(files.includes(f), `${f} missing from ${files.join(', ')}`);
    for (const f of files) assert.ok(!/\.map$|^dist\/(cli|cli-main|engine|typescript)\.js$|\.v8cache$|^kb\/|^server\/|^client\/|^test\//.test(f), `${f} should not ship in the .vsix`);
  });

  it('the .vsix README keeps images relative (loaded from the installed extension) and sends other links to the web', async () => {
    const { vsixReadme } = await import('../../scripts/vsix-readme.mjs');
    const out = vsixReadme(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
    assert.match(out, /!\[[^\]]*\]\(docs\/images\/problems\.png\)/);
    assert.match(out, /\]\(https:\/\/github\.com\/kb-hints\/kb-hints\/blob\/main\/docs\/rules\/ecr-tags-mutable\.md\)/);
    assert.doesNotMatch(out.replace(/!\[[^\]]*\]\([^)]*\)/g, ''), /\]\((?![a-z][\w+.-]*:|#)[^)]+\)/i, 'no relative link left besides images');
    assert.match(pkg.scripts.package, /vsix-readme\.mjs && vsce package .*--readme-path dist\/README\.vsix\.md/);
  });

  it('the npm package ships the CLI, the server and the engine only; npx -p kb-hints runs both bins', () => {
    const tmp = tempDir();
    try {
      const [info] = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp.dir]));
      const files = info.files.map((f) => f.path).sort();
      for (const f of ['dist/cli.js', 'dist/cli-main.js', 'dist/cli-main.js.v8cache', 'dist/server.js', 'dist/engine.js', 'README.md', 'LICENSE']) assert.ok(files.includes(f), `${f} missing`);
      for (const f of files) assert.match(f, /^(dist\/(cli|cli-main|server|engine|cdk-facts)\.js|dist\/cli-main\.js\.v8cache|schemas\/[\w-]+\.schema\.json|README\.md|CHANGELOG\.md|LICENSE|package\.json)$/, `${f} should not ship on npm`);
      const tgz = path.join(tmp.dir, info.filename);
      // The README's lines, with the tarball in place of the registry name.
      assert.equal(run('npx', ['--offline', '--yes', '-p', tgz, 'kb-hints-language-server', '--version'], tmp.dir).trim(), pkg.version);
      assert.equal(run('npx', ['--offline', '--yes', '-p', tgz, 'kb-hints', '--version'], tmp.dir).trim(), pkg.version);
    } finally {
      tmp.cleanup();
    }
  });

  it('the README runs the server with npx -p kb-hints (a bin is not a package name)', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    assert.ok(!/npx (--\S+ )*kb-hints-language-server/.test(readme), 'npx kb-hints-language-server would fetch another package');
    assert.match(readme, /npx -p kb-hints kb-hints-language-server --stdio/);
  });

  it('the desktop entry point: npm run test:electron runs the e2e suite with @vscode/test-electron; an Extension Tests launch configuration', async () => {
    assert.match(pkg.scripts['test:electron'], /test\/e2e\/electron\.mjs/);
    assert.ok(pkg.devDependencies['@vscode/test-electron']);
    const source = fs.readFileSync(path.join(ROOT, 'test/e2e/electron.mjs'), 'utf8');
    assert.match(source, /runTests\(/);
    assert.match(source, /suite', 'index\.js'/);
    assert.equal(typeof (await import('@vscode/test-electron')).runTests, 'function');
    const launch = JSON.parse(fs.readFileSync(path.join(ROOT, '.vscode/launch.json'), 'utf8'));
    const tests = launch.configurations.find((c) => c.name === 'Extension Tests');
    assert.ok(tests.args.some((a) => a === '--extensionTestsPath=${workspaceFolder}/test/e2e/suite/index.js'));
  });
});
