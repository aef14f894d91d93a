// @ts-check
// server/src/cdk/tsscan.ts (the TS/JS reader of CDK app sources) against its oracle, the TypeScript
// compiler's syntax tree (test/helpers/ts-oracle.js): the same scopes, sites and offsets on the fixtures,
// on real CDK apps (test/cdk/fixtures/sources, and on this machine's when there), on generated tricky
// inputs; and it never throws, whatever the input.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const fc = require('fast-check');
const E = require('../helpers/engine');
const { oracleTsFacts } = require('../helpers/ts-oracle');

const FIXTURES = path.resolve(__dirname, '../cdk/fixtures');
const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

/** @param {string} dir @returns {string[]} */
function sourcesUnder(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => SOURCE.test(f) && !/\.d\.[cm]?ts$/.test(f) && !f.split(path.sep).includes('node_modules')).map((f) => path.join(dir, f)).sort();
}

/** @param {string} file @param {string} text */
function agree(file, text) {
  const facts = E.parseTsFacts(file, text);
  const oracle = oracleTsFacts(file, text);
  // Sites first, with their text: a difference then reads as code.
  const show = (/** @type {typeof facts} */ f) => f.sites.map((s) => ({ ...s, text: text.slice(s.start, s.end) }));
  assert.deepEqual(show(facts), show(oracle), `sites of ${file}`);
  assert.deepEqual(facts, oracle, `scopes of ${file}`);
}

// Statements valid in TypeScript and JavaScript, each with a construct site or a trap (a site's text in a
// string, a comment, a regex, a template, a type).
const COMMON = [
  `const s = "new X(this, 'a')"; new Real(this, 'r1');`,
  `// new C(this, 'c')\n/* new D(this, 'd') */ new E(this, 'e');`,
  "const t = `new T(this, 'x') ${new In(this, `nested${1}`)} ${`${new Deep(this, 'deep')}`}`;",
  `const re = /new R\\(this, 'r'\\)[/]/g; const d = a / b / new Div(this, 'div');`,
  `if (x) /new Q(this, 'q')/.test(y); const n = 1_000_000n + 0x_ff + .5e-3;`,
  `let v; v = new V(this, 'v'); this.w = new W(this, \`w\`); a.b[0] = helper(this, 'elem');`,
  `export default function named(scope, id = 'dflt') { return new R(scope, id); }`,
  `const C1 = class extends Stack { constructor(s, i) { super(s, i); new I(this, 'i') } }; const C2 = class Named {};`,
  `const ID = 'Api'; const T2 = \`Tpl\`; new A(this, ID); new B2(this, T2); function shadow(ID) { new S2(this, ID) }`,
  `const esc = 'a\\u0041\\x42\\n\\'q'; new Esc(this, 'tab\\there'); new Oct(this, '\\101\\8'); new Cont(this, 'a\\\nb');`,
  `cluster.addCapacity('cap', {}); this.cluster.addAsgCapacityProvider(cp); x.addY(ID); new Foo(this, 'f').addBar('bar');`,
  `const arr = [new A3(this, 'a3'), cond ? new B3(this, 'b3') : makeIt(this, 'c3')];\nconst obj = { k: new K3(this, 'k3'), m(scope, id) { return new M3(scope, id) } };`,
  `a = b\n(c).addThing('asi')\nlet z = 1\nnew Z(this, 'z')`,
  `for (const [i, s] of list.entries()) new L(this, \`L\${i}\`);\nwhile (x < y) new W2(this, 'w2');`,
  `const fn = function (scope) { new FE(scope, 'fe') }.bind(this); const arrow = x => new AR(x, 'ar');`,
  `new (ecs.Cluster)(this, 'paren'); new ns.sub.Deep(this.node, 'deepns'); new X(props.scope, 'p1'); new X(this.a?.b, 'opt');`,
  `label: for (;;) { break label; } switch (k) { case 'a': new SW(this, 'sw'); default: }`,
  `const h = a?.b?.addThing('opt'); x = ((new Par(this, 'par'))); const { p = new Dflt(this, 'd') } = q;`,
  `async function af(scope, id) { await new Aw(scope, id); yield1(scope, \`\${id}-y\`); }\nconst top = async (scope) => { new T3(scope, 'top') };`,
  `class Plain { static s = new St(this, 'st'); #p = new Pv(this, 'pv'); get g() { return new G(this, 'g') } }`,
  `exports.satisfies = satisfies\nfunction satisfies(version, range) { return new Range(range, 'r') }`,
  "`${this.node.id}Inventory`.replace(regex, ''); tag`x${new Tg(this, 'tg')}`; import.meta.addIt('m');",
  "new Svc(this, 'Service' + id); new Q(this, prefix + 'Queue' + props.suffix); new R(this, 'a' + 'b'); new S(this, x + y);",
  `function f() {}\n/re'/.test(x); class A { m() {} } /x'/g.exec(s); x = {}\n/ 2 / new B(this, 'b');`,
  `this.x = new X(this, 'x'), this.y = new Y(this, 'y');\nconst [p, q] = [new P(this, 'p'), 1]; a?.(this, 'oc'); a.b?.(this, 'oc2');`,
  "new Tp(this, `a${b}c${d}e`); new Tp2(this, `x\\u{1F600}\\`y${z}`); for (let i = 0; i < n; i++) { new Loop(this, `L${i}`) }",
  `x = a\n++b\nnew Inc(this, 'inc'); y = c\n-new Neg(this, 'neg'); if (a) b = new Ifb(this, 'ifb'); else c = new Elc(this, 'elc');`,
  `module.exports = class extends Stack { constructor(a, b) { super(a, b); this.q = new Q(this, 'q') } }`,
  `const stack = new cdk.Stack(app, 'S', { env }); stack.addDependency(other); new Stack2(app, 'S2').templateOptions.description = 'x';`,
];
// TypeScript only: types, casts, generics, decorators, modifiers.
const TS_ONLY = [
  `@decorator(this, 'dec') export class K extends ecs.Base<T> implements I { @prop() x = new P(this, 'p'); #y = new Priv(this, 'priv'); static { new S(this, 'static'); } constructor(private readonly scope: Construct, id: string, ...rest: any[]) { super(scope, id); new Q(this, id); } }`,
  `const g = new Foo<Bar<Baz>>(this, 'gen'); const nn = new X(this!, 'nn')!; const cast = <Y>new Y(this, 'cast'); const as = new Z(this, 'as') as unknown as W;`,
  `const sat = new Sat(this, 'sat') satisfies Thing; const typed: Map<string, number> = make<A, B>(this, 'typed');`,
  `export const mk = async (scope: Construct, name: string): Promise<void> => { new B(scope, name); helper(scope, 'h'); };`,
  `function over(a: string): void;\nfunction over(a: any) { new O(this, a) }\ndeclare function decl<T>(x: T extends string ? A : B): void;`,
  `type Fn = (scope: Construct, id: string) => void; interface I { m(scope, id): void; n(a, b); }\nlet q: { f(a, b): void } = x;`,
  `const jsxLike = a < b && c > (d); const cmp = x<y>(z); enum E { A = 1 } namespace N { new InNs(this, 'ns') }`,
  `const y = z!\nnew H(this, 'h'); f<string>(this, 'generic'); let e = f as any; new E(this, 'e') as X\nnew F(this, 'f')`,
  `export const handler = async function (event: E, ctx) { new L(this, 'l') }; export function* g(scope: C, id) { new M(scope, id) }`,
  `abstract class Ab<T extends { a: string }> extends (Base) { abstract m(a, b): void; constructor(s: Construct, i: string); constructor(s: any, i: any) { super(s, i) } }`,
];
// JSX (.tsx, .jsx; TypeScript reads .js files as JSX too).
const JSX = [
  `const el = <div className="new X(this, 'a')">{new InJsx(this, 'injsx')} text with ' and ( and }</div>;\nnew After(this, 'after');`,
  `const frag = <><Comp prop={x} {...rest} /> don't {/* c */} </>; new AfterFrag(this, 'af');`,
  `function r() { return <div>{'x'}</div>\n}\nnew C(this, 'c')`,
];
// TSX only: generic arrows beside JSX.
const TSX_ONLY = [`const C = <T,>(p: T) => <div>{p}</div>; const D = <T extends object>(p: T) => null; new N(this, 'n');`];

describe('CDK: the TS/JS reader against the TypeScript parser', () => {
  it('agrees on every TS/JS file of the CDK fixtures, and the sources of real apps kept there', () => {
    const files = sourcesUnder(FIXTURES);
    assert.ok(files.filter((f) => f.includes(`${path.sep}sources${path.sep}`)).length >= 5, 'real app sources are kept in the fixtures');
    for (const f of files) agree(f, fs.readFileSync(f, 'utf8'));
  });

  it('agrees on tricky statements, alone and together, in each kind of file', () => {
    for (const [exts, parts] of /** @type {Array<[string[], string[]]>} */ ([
      [['ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs'], COMMON],
      [['ts', 'mts', 'cts'], TS_ONLY],
      [['tsx', 'jsx', 'js'], JSX],
      [['tsx'], TSX_ONLY],
    ])) {
      for (const ext of exts) {
        parts.forEach((p, i) => agree(`p${i}.${ext}`, p));
        agree(`all.${ext}`, parts.join('\n'));
      }
    }
  });

  it('agrees on random sequences of those statements (any separator, any order)', () => {
    const statement = fc.constantFrom(...COMMON, ...TS_ONLY);
    fc.assert(
      fc.property(fc.array(fc.tuple(statement, fc.constantFrom('\n', ';\n', ' ', '\n\n  ')), { maxLength: 8 }), (seq) => {
        // A statement that starts with a template, `(` or `[` continues the one before it when no `;` ends that
        // one (no automatic semicolon there: `class {} \`x\`` is a tagged template), as in real code.
        const text = seq.map(([s, sep], i) => s + (/^[`([]/.test(seq[i + 1]?.[0] ?? '') ? ';\n' : sep)).join('');
        agree('gen.ts', text);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees on the CDK apps and aws-cdk-lib JavaScript of this machine, when there', function () {
    const apps = sourcesUnder('/tmp/s17/rw/cdkex/typescript');
    const lib = sourcesUnder('/tmp/cdkfix/node_modules/aws-cdk-lib/aws-ecs/lib').filter((f) => f.endsWith('.js'));
    if (!apps.length && !lib.length) this.skip();
    // Every app; a sample of the library (every third file: the large generated one included).
    for (const f of [...apps, ...lib.filter((_, i) => i % 3 === 0)]) agree(f, fs.readFileSync(f, 'utf8'));
  });
});

describe('CDK: the TS/JS reader on any input', () => {
  it('returns facts for broken and deeply nested sources, never throws', () => {
    const N = 50000;
    const inputs = ['('.repeat(N), ')]}'.repeat(N), '`${'.repeat(N), 'a<'.repeat(N), 'class '.repeat(N), 'new '.repeat(N), '<a>'.repeat(N), 'x = <a b={'.repeat(N / 10), '/['.repeat(N), '"\\'.repeat(N), 'const a = '.repeat(N), 'function f('.repeat(N), 'a = ' + '('.repeat(N) + 'new X(this, "a")' + ')'.repeat(N), "'unterminated\nnew X(this, 'a')", '/* unterminated new X(this, "a")', '`unterminated ${ new X(this, "a")'];
    for (const text of inputs) for (const file of ['a.ts', 'a.tsx', 'a.js']) assert.equal(E.parseTsFacts(file, text).file, file);
    // Deep nesting is read, not refused: the site inside 50000 parentheses is found.
    assert.deepEqual(E.parseTsFacts('b.ts', 'a = ' + '('.repeat(N) + 'new X(this, "a")' + ')'.repeat(N)).sites.map((s) => s.assignedTo), ['a']);
  });

  it('never throws on arbitrary text made of the tokens that matter', () => {
    const piece = fc.constantFrom('(', ')', '[', ']', '{', '}', '<', '>', '/', '*', '`', '${', '"', "'", '\\', '\n', ' ', '.', ',', ';', ':', '=', '=>', '!', '?.', '@', '#x', 'new', 'this', 'class', 'function', 'const', 'as', 'X', "'id'", 'addY', '<a>', '</a>', '/>', '//', '/*', '*/', '1_0');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), fc.constantFrom('a.ts', 'a.tsx', 'a.js'), (pieces, file) => {
        const facts = E.parseTsFacts(file, pieces.join(''));
        for (const s of facts.sites) assert.ok(s.start <= s.end);
      }),
      { numRuns: 500 },
    );
  });
});
