// Builds the extension client, the language server, the CLI and the engine library with esbuild,
// bundling the KB topics from kb/ as data; and the web extension's client and server for browsers.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTopics } from './kb.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

const kbPlugin = {
  name: 'kb-content',
  setup(build) {
    build.onResolve({ filter: /^kb-content$/ }, () => ({ path: 'kb-content', namespace: 'kb' }));
    build.onLoad({ filter: /.*/, namespace: 'kb' }, () => ({
      contents: JSON.stringify(readTopics(path.join(root, 'kb'))),
      loader: 'json',
      watchFiles: fs.readdirSync(path.join(root, 'kb')).map((f) => path.join(root, 'kb', f)),
    }));
  },
};

// Guides from docs/ shown as articles in the editor (offline): id -> Markdown.
const GUIDES = { suppressions: 'docs/suppressions.md' };
const guidesPlugin = {
  name: 'kb-guides',
  setup(build) {
    build.onResolve({ filter: /^kb-guides$/ }, () => ({ path: 'kb-guides', namespace: 'kb-guides' }));
    build.onLoad({ filter: /.*/, namespace: 'kb-guides' }, () => ({
      contents: JSON.stringify(Object.fromEntries(Object.entries(GUIDES).map(([id, file]) => [id, fs.readFileSync(path.join(root, file), 'utf8')]))),
      loader: 'json',
      watchFiles: Object.values(GUIDES).map((f) => path.join(root, f)),
    }));
  },
};

// The browser bundles hold no Node builtin: the build fails on one, naming who imports it. The server's
// engine modules import five, resolved in the browser to server/src/browser/ (POSIX paths and `file:` URLs;
// no disk, no hashing, no unzipping); the LSP modules get the rest from their ServerHost (server/src/browserServer.ts).
const BROWSER_SHIMS = { fs: 'fs.ts', path: 'path.ts', url: 'url.ts', crypto: 'crypto.ts', zlib: 'zlib.ts' };
const NODE_BUILTINS = new Set(builtinModules);
const noNodeBuiltins = {
  name: 'no-node-builtins',
  setup(build) {
    build.onResolve({ filter: /^(node:)?[\w/]+$/ }, (args) => {
      const name = args.path.replace(/^node:/, '');
      if (!args.path.startsWith('node:') && !NODE_BUILTINS.has(name)) return undefined;
      const shim = BROWSER_SHIMS[name];
      if (shim && args.importer.startsWith(path.join(root, 'server', 'src') + path.sep)) return { path: path.join(root, 'server/src/browser', shim) };
      return { errors: [{ text: `Node builtin '${args.path}' in a browser bundle (imported by ${path.relative(root, args.importer)})` }] };
    });
  },
};

// `--production` (vscode:prepublish, before vsce packs the .vsix): minified, no source maps.
const production = process.argv.includes('--production');
if (production) for (const f of fs.existsSync(path.join(root, 'dist')) ? fs.readdirSync(path.join(root, 'dist')) : []) if (f.endsWith('.map')) fs.rmSync(path.join(root, 'dist', f));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  define: { __VERSION__: JSON.stringify(pkg.version) },
  plugins: [kbPlugin, guidesPlugin],
};
// The web extension (package.json `browser`): the client runs in VS Code for the Web's worker extension host
// (CommonJS, `vscode` given), the server in a Web Worker of its own (a classic worker script: an IIFE).
const browser = { ...common, platform: 'browser', target: 'es2022', plugins: [...common.plugins, noNodeBuiltins] };

// The CLI bundle's first line names its build (a hash of the bundle), which its code cache must match.
const BUILD_LINE = (id) => `// kb-hints build ${id}`;
const PLACEHOLDER = '0'.repeat(64);

await Promise.all([
  esbuild.build({ ...common, entryPoints: [path.join(root, 'client/src/extension.ts')], outfile: path.join(root, 'dist/client.js'), external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: [path.join(root, 'server/src/server.ts')], outfile: path.join(root, 'dist/server.js') }),
  // The CLI: its bin (launch.ts) runs the bundle from a V8 code cache, made below.
  esbuild.build({ ...common, entryPoints: [path.join(root, 'server/src/cli.ts')], outfile: path.join(root, 'dist/cli-main.js'), banner: { js: BUILD_LINE(PLACEHOLDER) } }),
  esbuild.build({ ...common, entryPoints: [path.join(root, 'server/src/launch.ts')], outfile: path.join(root, 'dist/cli.js') }),
  esbuild.build({ ...common, entryPoints: [path.join(root, 'server/src/index.ts')], outfile: path.join(root, 'dist/engine.js') }),
  // The CLI's worker that parses CDK app sources while it lints (server/src/cdk/prefetch.ts).
  esbuild.build({ ...common, entryPoints: [path.join(root, 'server/src/cdk/facts-worker.ts')], outfile: path.join(root, 'dist/cdk-facts.js') }),
  esbuild.build({ ...browser, entryPoints: [path.join(root, 'client/src/browser.ts')], outfile: path.join(root, 'dist/browserClient.js'), external: ['vscode'] }),
  esbuild.build({ ...browser, format: 'iife', entryPoints: [path.join(root, 'server/src/browserServer.ts')], outfile: path.join(root, 'dist/browserServer.js') }),
]);
for (const f of ['server.js', 'cli.js']) fs.chmodSync(path.join(root, 'dist', f), 0o755);

// The build id replaces the placeholder (same length: the source map still holds), then one run of the CLI
// over the examples writes the code cache (dist/cli-main.js.v8cache) with the functions a lint compiles.
const cliMain = path.join(root, 'dist/cli-main.js');
const code = fs.readFileSync(cliMain, 'utf8');
fs.writeFileSync(cliMain, code.replace(BUILD_LINE(PLACEHOLDER), BUILD_LINE(createHash('sha256').update(code).digest('hex'))));
fs.rmSync(`${cliMain}.v8cache`, { force: true });
const warm = spawnSync(process.execPath, [path.join(root, 'dist/cli.js'), 'lint', path.join(root, 'examples'), '--format', 'json', '--no-error-on-unmatched'], { env: { ...process.env, KB_HINTS_WRITE_CODE_CACHE: '1' }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
if (warm.status !== 0 && warm.status !== 1) throw new Error(`the CLI failed on the examples (code cache not written): ${warm.stderr}`);
