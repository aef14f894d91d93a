// @ts-check
// The Node builtins of the browser's server bundle (server/src/browser/, scripts/build.mjs resolves them):
// its paths are Node's POSIX paths with `/` as the working folder, its `file:` URLs Node's, over generated
// paths; its disk has no files, as the engine's readers expect of a missing one.
const assert = require('node:assert/strict');
const path = require('node:path');
const url = require('node:url');
const esbuild = require('esbuild');
const fc = require('fast-check');

const ROOT = path.resolve(__dirname, '../..');

/** The shim compiled as CommonJS and loaded. @param {string} name @returns {any} */
function shim(name) {
  const { outputFiles } = esbuild.buildSync({ entryPoints: [path.join(ROOT, 'server/src/browser', `${name}.ts`)], format: 'cjs', platform: 'neutral', write: false });
  const module = { exports: {} };
  new Function('module', 'exports', outputFiles[0].text)(module, module.exports);
  return module.exports;
}

const segment = fc.constantFrom('a', 'b', 'values.yaml', '..', '.', '', 'templates', 'x y', 'ü%');
const pathArb = fc.tuple(fc.boolean(), fc.array(segment, { maxLength: 6 }), fc.boolean()).map(([abs, parts, trailing]) => `${abs ? '/' : ''}${parts.join('/')}${trailing ? '/' : ''}`);

describe('browser bundle: Node builtins', () => {
  const p = shim('path');
  const posix = path.posix;

  it('path: join, normalize, dirname, basename, isAbsolute as Node\'s POSIX path', () => {
    fc.assert(fc.property(pathArb, pathArb, (a, b) => {
      assert.equal(p.join(a, b), posix.join(a, b));
      assert.equal(p.normalize(a), posix.normalize(a));
      assert.equal(p.dirname(a), posix.dirname(a));
      assert.equal(p.basename(a), posix.basename(a));
      assert.equal(p.basename(a, '.yaml'), posix.basename(a, '.yaml'));
      assert.equal(p.isAbsolute(a), posix.isAbsolute(a));
    }), { numRuns: 2000 });
    // Found by the generator once in a while: Node returns a path of slashes whole beside an extension.
    for (const a of ['/////', '//////', '//']) assert.equal(p.basename(a, '.yaml'), posix.basename(a, '.yaml'));
  });

  it('path: resolve and relative as Node\'s POSIX path working in /', () => {
    fc.assert(fc.property(pathArb, pathArb, (a, b) => {
      assert.equal(p.resolve(a, b), posix.resolve('/', a, b));
      assert.equal(p.relative(a, b), posix.relative(posix.resolve('/', a), posix.resolve('/', b)));
    }), { numRuns: 2000 });
    assert.equal(p.sep, '/');
  });

  it('url: file: URLs to paths and back as Node\'s', () => {
    const u = shim('url');
    fc.assert(fc.property(pathArb.map((a) => posix.resolve('/', a)), (a) => {
      assert.equal(u.pathToFileURL(a).href, url.pathToFileURL(a).href);
      assert.equal(u.fileURLToPath(url.pathToFileURL(a).href), a);
    }), { numRuns: 1000 });
    assert.throws(() => u.fileURLToPath('vscode-vfs://github/o/r/a.yaml'), TypeError);
  });

  it('fs: every file is missing (ENOENT), and a stat that may miss says undefined', () => {
    const fs = shim('fs');
    for (const read of [() => fs.readFileSync('/a/.kbhints.yaml', 'utf8'), () => fs.readdirSync('/a'), () => fs.statSync('/a')]) assert.throws(read, { code: 'ENOENT' });
    assert.equal(fs.statSync('/a', { throwIfNoEntry: false }), undefined);
  });

  it('crypto: hashing fails rather than giving a wrong digest', () => {
    assert.throws(() => shim('crypto').createHash('sha256'), /not available in the browser/);
  });

  it('zlib: unpacking fails as a damaged archive does (the packaged-chart reader gives no files)', () => {
    assert.throws(() => shim('zlib').gunzipSync(Buffer.from([0x1f, 0x8b])), /not available in the browser/);
  });
});
