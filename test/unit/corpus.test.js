// @ts-check
// The golden test over test/corpus/ (real templates and manifests, see its SOURCES.md): every finding,
// range, message, data and quick fix must be exactly the committed test/corpus/findings.jsonl. When a
// change of behaviour is intended, rewrite it with `npm run corpus:update` (or KB_HINTS_UPDATE_SNAPSHOT=1
// with mocha) and review the diff of findings.jsonl before committing it.
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const engine = require('../helpers/engine');
const { snapshotText, diffSnapshots, listFiles } = require('../../scripts/lib/findings-snapshot.js');

const CORPUS = path.resolve(__dirname, '../corpus');
const GOLDEN = path.join(CORPUS, 'findings.jsonl');
/** Licences under which a file may be copied into the repository. */
const REDISTRIBUTABLE = new Set(['Apache-2.0', 'MIT', 'MIT-0', 'MIT OR Apache-2.0', 'BSD-2-Clause', 'BSD-3-Clause', 'CC0-1.0']);

/** @returns {{ file: string, repository: string, commit: string, license: string, originalPath: string, bytes: number, sha256: string }[]} */
function manifest() {
  const [header, ...rows] = fs.readFileSync(path.join(CORPUS, 'MANIFEST.tsv'), 'utf8').trimEnd().split('\n');
  assert.equal(header, 'file\tsource_tag\trepository\tcommit\tlicense\toriginal_path\tbytes\tsha256');
  return rows.map((r) => {
    const [file, , repository, commit, license, originalPath, bytes, sha256] = r.split('\t');
    return { file, repository, commit, license, originalPath, bytes: Number(bytes), sha256 };
  });
}

describe('golden findings over test/corpus', function () {
  this.timeout(60000);

  it('are exactly test/corpus/findings.jsonl', () => {
    const actual = snapshotText(engine, CORPUS);
    if (process.env.KB_HINTS_UPDATE_SNAPSHOT) {
      fs.writeFileSync(GOLDEN, actual);
      return;
    }
    const diff = diffSnapshots(fs.readFileSync(GOLDEN, 'utf8'), actual);
    if (diff) {
      assert.fail(`The findings on test/corpus changed.\n${diff}\n\nIf that is intended: npm run corpus:update, then review and commit test/corpus/findings.jsonl.`);
    }
  });

  it('cover many rules and quick-fix kinds, on some files only (the others stay quiet)', () => {
    const entries = fs.readFileSync(GOLDEN, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    const rules = new Set(entries.map((e) => e.ruleId));
    // Every rule that fires on the full corpus (20 of them when it was curated; ecs-step-scaling-without-alarm then stopped firing on non-ECS policies, rightly) should fire here: when one stops,
    // add a file that makes it fire (from ../shared/corpus, recorded in SOURCES.md and MANIFEST.tsv).
    assert.ok(rules.size >= 19, `${rules.size} rules fire`);
    for (const r of rules) assert.ok(engine.ruleById(r), `${r} is a rule (no syntax or internal error on the corpus)`);
    const fixKinds = new Set(entries.map((e) => e.data?.fix).filter(Boolean));
    assert.ok(fixKinds.size >= 12, `${fixKinds.size} quick-fix kinds`);
    const withFindings = new Set(entries.map((e) => e.file));
    const files = listFiles(engine, CORPUS);
    assert.ok(files.length - withFindings.size >= 15, `${files.length - withFindings.size} quiet files`);
  });
});

describe('test/corpus provenance', () => {
  const rows = manifest();
  const sources = fs.readFileSync(path.join(CORPUS, 'SOURCES.md'), 'utf8');

  it('MANIFEST.tsv lists every file, byte for byte (size and sha256), under a licence that permits redistribution', () => {
    const files = listFiles(engine, CORPUS).map((f) => path.relative(CORPUS, f).split(path.sep).join('/'));
    assert.deepEqual(rows.map((r) => r.file).sort(), [...files].sort());
    for (const r of rows) {
      assert.ok(REDISTRIBUTABLE.has(r.license), `${r.file}: licence ${r.license}`);
      assert.match(r.commit, /^[0-9a-f]{40}$/, r.file);
      const bytes = fs.readFileSync(path.join(CORPUS, r.file));
      assert.equal(bytes.length, r.bytes, `${r.file}: size (was it converted, e.g. line endings? see test/corpus/.gitattributes)`);
      assert.equal(crypto.createHash('sha256').update(bytes).digest('hex'), r.sha256, `${r.file}: sha256`);
    }
  });

  it('SOURCES.md gives each file its origin and licence', () => {
    for (const r of rows) {
      const line = sources.split('\n').find((l) => l.startsWith(`| \`${r.file}\` |`));
      assert.ok(line, `${r.file} is in SOURCES.md`);
      assert.ok(line.includes(`https://github.com/${r.repository}/blob/${r.commit}/`), `${r.file}: origin URL`);
      assert.ok(line.includes(r.license.split(' ')[0]), `${r.file}: licence`);
    }
    for (const l of ['Apache-2.0', 'MIT-0', 'MIT-cfn_nag']) assert.ok(fs.existsSync(path.join(CORPUS, 'LICENSES', `${l}.txt`)), l);
  });
});
