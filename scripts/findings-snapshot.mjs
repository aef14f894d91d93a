// Writes every finding the engine gives on a folder (default: ../shared/corpus) as one JSON line each:
// file, rule, exact range, severity, message, data, related locations, suppression, and the quick fixes
// offered (titles and a hash of the edited text). Two snapshots taken before and after a change show, with
// `diff`, exactly what it changed in behaviour:
//   node scripts/findings-snapshot.mjs [folder] > before.jsonl   (change, rebuild)
//   node scripts/findings-snapshot.mjs [folder] > after.jsonl && diff before.jsonl after.jsonl
// `--check FILE` compares with a stored snapshot, prints the differences and exits 1 on any;
// `--write FILE` (re)writes the stored snapshot. The golden test over test/corpus/ is
// test/unit/corpus.test.js (`npm run corpus:update` rewrites test/corpus/findings.jsonl).
// The logic lives in scripts/lib/findings-snapshot.js, shared with that test.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { snapshotText, diffSnapshots } = require('./lib/findings-snapshot.js');

const args = process.argv.slice(2);
/** @param {string} flag */
function option(flag) {
  const at = args.indexOf(flag);
  if (at < 0) return undefined;
  const value = args.splice(at, 2)[1];
  if (value === undefined) {
    console.error(`${flag} needs a file`);
    process.exit(2);
  }
  return value;
}
const expectedFile = option('--check');
const writeFile = option('--write');
const dir = path.resolve(args[0] ?? path.join(root, '../shared/corpus'));
if (!fs.existsSync(dir)) {
  console.error(`No folder at ${dir}${args[0] ? '' : ' (the shared corpus is not beside this checkout): pass a folder, e.g. test/corpus'}`);
  process.exit(2);
}

const engine = require(path.join(root, 'dist/engine.js'));
const out = snapshotText(engine, dir);
if (expectedFile) {
  const expected = fs.readFileSync(expectedFile, 'utf8');
  const diff = diffSnapshots(expected, out);
  if (!diff) process.exit(0);
  console.log(diff);
  process.exit(1);
}
if (writeFile) {
  fs.writeFileSync(writeFile, out);
  console.error(`Wrote ${out.split('\n').length - 1} findings to ${path.relative(process.cwd(), writeFile)}`);
} else process.stdout.write(out);
