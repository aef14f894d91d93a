#!/usr/bin/env node
// The `kb-hints` bin (dist/cli.js): runs the CLI bundle (dist/cli-main.js) from the V8 code cache the
// build writes beside it, so that a run does not compile the ~1 MB bundle again (about 15 ms of a run
// whose floor, starting Node, is about 50 ms). A cache from another Node (V8 version, flags) or another
// build is not used: the bundle is compiled as `require` would.
//
// The build makes the cache by running the CLI once with KB_HINTS_WRITE_CODE_CACHE=1: the cache then
// holds the functions that run used too, not only the top level.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

const bundle = path.join(__dirname, 'cli-main.js');
/** The bundle's first line names its build (`// kb-hints build <hash>`); the cache file starts with the same line. */
const cacheFile = `${bundle}.v8cache`;

const source = fs.readFileSync(bundle, 'utf8');
const firstLine = source.slice(0, source.indexOf('\n') + 1);
let cachedData: Buffer | undefined;
try {
  const data = fs.readFileSync(cacheFile);
  if (firstLine.startsWith('// kb-hints build ') && data.subarray(0, firstLine.length).toString('latin1') === firstLine) cachedData = data.subarray(firstLine.length);
} catch {
  // No cache (a source checkout before its first build, a copied bin): compiled as usual.
}
// The CommonJS wrapper `require` puts around a file, on the bundle's first line (line numbers stay).
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundle, cachedData });
const main = { exports: {} as unknown, filename: bundle, id: '.' };
(script.runInThisContext() as (...args: unknown[]) => void).call(main.exports, main.exports, createRequire(bundle), main, bundle, __dirname);
if (process.env.KB_HINTS_WRITE_CODE_CACHE === '1') {
  process.on('exit', () => {
    try {
      fs.writeFileSync(cacheFile, Buffer.concat([Buffer.from(firstLine, 'latin1'), script.createCachedData()]));
    } catch (e) {
      process.stderr.write(`kb-hints: could not write the code cache ${cacheFile}: ${(e as Error).message}\n`);
    }
  });
}
