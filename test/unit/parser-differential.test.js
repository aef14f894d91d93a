// @ts-check
// The fast block parser against the CST composer (the reference), file by file: on every YAML file of the
// repository's corpus, rule fixtures and examples, and on generated YAML, the fast parser either gives up
// or gives the same tree (offsets included) and reports an error exactly when the CST path does (one
// deliberate leniency: continuation lines of a quoted scalar at any column, as PyYAML: checked by
// indenting them, after which the CST path must read the text). The corpus files
// are real templates and manifests: the fast parser must read every one of them (the CST path is ~10x slower).
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const fc = require('fast-check');
const { parseYaml, parseYamlFast } = require('../helpers/engine');

const ROOT = path.resolve(__dirname, '../..');
const RUNS = Number(process.env.KB_HINTS_PROPERTY_RUNS) || 60;

/** @param {string} dir @param {string[]} [out] @returns {string[]} */
function yamlFiles(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) yamlFiles(full, out);
    else if (/\.(ya?ml|template)$/i.test(e.name)) out.push(full);
  }
  return out;
}

/** The node tree as comparable data (alias targets by position). @param {unknown} docs */
function tree(docs) {
  return JSON.parse(JSON.stringify(docs, (k, v) => (k === 'target' ? (v ? [v.kind, v.start, v.end] : null) : k === 'errors' ? undefined : v)));
}

/** The text as the parser gets it (parse.ts): no BOM, lone CRs as LF. @param {string} text */
const asParsed = (text) => text.replace(/^\uFEFF/, '').replace(/\r(?!\n)/g, '\n');

/**
 * The leniency, undone: every line break inside a quoted scalar of the tree gets deep indentation after
 * it (which folding drops). Where the fast parser was lenient and nothing else, the CST path reads that.
 * @param {string} text @param {unknown} docs
 */
function indentQuoted(text, docs) {
  /** @type {Array<[number, number]>} */
  const ranges = [];
  JSON.stringify(docs, (k, v) => {
    if (v && typeof v === 'object' && v.kind === 'scalar' && v.quoted && text.slice(v.start, v.end).includes('\n') && /^["']/.test(text[v.start])) ranges.push([v.start, v.end]);
    return k === 'target' ? undefined : v;
  });
  let out = '';
  for (let i = 0; i < text.length; i++) {
    out += text[i];
    if (text[i] === '\n' && ranges.some(([a, b]) => a < i && i < b)) out += ' '.repeat(64);
  }
  return out;
}

/**
 * Checks one text; gives whether the fast parser read it. @param {string} text @param {string} what
 * @returns {boolean}
 */
function agree(text, what) {
  const fast = parseYamlFast(text);
  const cst = parseYaml(text, { maxDepth: 500, parser: 'cst' });
  if (!fast) return false;
  if (cst.errors.length) {
    if (!fast.errors.length) assert.deepEqual(parseYaml(indentQuoted(text, fast.docs), { maxDepth: 500, parser: 'cst' }).errors, [], `${what}: the fast parser accepted what the CST path rejects: ${cst.errors[0].message}`);
    return true;
  }
  assert.deepEqual(fast.errors, [], `${what}: the fast parser reports an error the CST path does not`);
  assert.deepEqual(tree(fast.docs), tree(cst.docs), what);
  return true;
}

describe('the fast YAML parser against the CST composer', function () {
  this.timeout(120000);

  it('reads every YAML file of test/corpus (real templates and manifests), each to the same tree', () => {
    const files = yamlFiles(path.join(ROOT, 'test/corpus'));
    assert.ok(files.length > 20);
    const bailed = files.filter((f) => !agree(asParsed(fs.readFileSync(f, 'utf8')), path.relative(ROOT, f)));
    assert.deepEqual(bailed, [], 'the fast parser gave up on these');
  });

  it('on the rule fixtures, examples and chart values: gives up, or agrees', () => {
    const files = [...yamlFiles(path.join(ROOT, 'test/rules')), ...yamlFiles(path.join(ROOT, 'examples'))];
    assert.ok(files.length > 100);
    let read = 0;
    for (const f of files) if (agree(asParsed(fs.readFileSync(f, 'utf8')), path.relative(ROOT, f))) read++;
    // Fixtures hold deliberate syntax errors and oddities; nearly all are still read by the fast parser.
    assert.ok(read > files.length * 0.9, `${read} of ${files.length} read`);
  });

  // Generated YAML, from pieces templates are made of and pieces that are easy to get wrong: indentation,
  // sequences in maps at the same column, flow collections over lines, tags, anchors and aliases,
  // quoted and block scalars, comments, document markers, and characters that end or start tokens.
  const scalar = fc.oneof(
    fc.constantFrom('a', 'x y', 'true', 'null', '~', '1', '-1.5e3', '0x1F', '012', 'a:b', 'a #b', "it's", 'é', '😀', '', ' lead', 'trail ', 'a,b', '[x]', '{y}', '*x', '&y', '!z', '%p', '@q', '`r', '|', '>', '- a', '? k', ': v', '#c'),
    fc.string({ maxLength: 8 }),
  );
  const quoted = fc.oneof(
    scalar.map((s) => JSON.stringify(s)),
    scalar.map((s) => `'${s.replace(/'/g, "''")}'`),
    fc.constantFrom('"a\\nb"', '"\\u00e9"', '"a\\\n  b"', "'a\n  b'", '"a\n\n  b"', '"x\\ty"', '"\\x41"', '"bad\\q"', "'unclosed", '"unclosed'),
  );
  const plain = scalar.filter((s) => /^[A-Za-z0-9][A-Za-z0-9 ._/-]*$/.test(s) && !/ $/.test(s));
  const tag = fc.constantFrom('', '', '', '!Ref ', '!Sub ', '!GetAtt ', '!If ', '!!str ', '!Custom ', '&a ', '!Ref &b ');
  /** A node written at an indentation. @typedef {(indent: string) => string} Written */
  const { node } = fc.letrec((/** @type {(key: string) => fc.Arbitrary<unknown>} */ tie) => {
    const child = /** @type {fc.Arbitrary<Written>} */ (tie('node'));
    return {
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.tuple(tag, fc.oneof({ arbitrary: plain, weight: 4 }, { arbitrary: quoted, weight: 2 }, { arbitrary: scalar, weight: 1 })).map(([t, s]) => /** @type {Written} */ (() => `${t}${s}`)),
        fc.constantFrom('*a', '*b', '*missing', '[a, b]', '{a: 1, b: [2, 3]}', '[\n  a,\n  b\n]', '{ k: v,\n  l: w }', '[a, {b: c}]', '|\n  line\n  two\n', '>-\n  folded\n  text\n', '|+\n  keep\n\n', '|2\n   x\n').map((s) => /** @type {Written} */ ((ind) => s.replace(/\n/g, `\n${ind}`))),
        fc.tuple(tag, fc.array(fc.tuple(fc.oneof(plain, quoted), child), { minLength: 1, maxLength: 4 })).map(([t, pairs]) => /** @type {Written} */ ((ind) => `${t.trim()}\n${pairs.map(([k, v]) => `${ind}  ${k}: ${v(`${ind}  `)}`).join('\n')}`)),
        fc.array(child, { minLength: 1, maxLength: 4 }).map((items) => /** @type {Written} */ ((ind) => `\n${items.map((v) => `${ind}  - ${v(`${ind}    `)}`).join('\n')}`)),
      ),
    };
  });
  const junk = fc.constantFrom('', '', '', '', '', '', '', '', '', '', '', '', '# comment\n', '---\n', '...\n', '\t', '  ', '\n', ': ', '- ', '#', '\r\n', '%YAML 1.2\n---\n', '? ', '"', "'", '[', '{', '}', ']', ',');
  const doc = fc.tuple(fc.array(fc.tuple(plain, node), { minLength: 1, maxLength: 5 }), fc.nat(), junk).map(([pairs, at, extra]) => {
    const text = pairs.map(([k, v]) => `${k}: ${v('')}`).join('\n') + '\n';
    const i = at % (text.length + 1);
    return text.slice(0, i) + extra + text.slice(i);
  });

  it('on generated YAML: gives up, or agrees', () => {
    let read = 0;
    fc.assert(
      fc.property(doc, (text) => {
        if (agree(text, JSON.stringify(text))) read++;
      }),
      { numRuns: RUNS * 20, seed: 5 },
    );
    // The generator must exercise the fast parser, not only its giving up.
    assert.ok(read > RUNS * 2, `the fast parser read ${read} of ${RUNS * 20}`);
  });
});
