// A hand-written parser for the YAML that templates and manifests are written in: block maps and
// sequences, plain/quoted/block scalars, flow collections, tags, anchors and aliases, comments and
// document markers. It builds the same node tree, with the same offsets, as the CST composer in
// yaml.ts, about 10x faster. It is deliberately strict: anything it is not sure about (an error,
// directives, complex keys, unusual indentation, props on keys, tabs in indentation...) makes it give
// up (returns undefined), and the caller parses the text with the CST composer, which reports errors.
//
// One deliberate leniency (as PyYAML and CloudFormation): the continuation lines of a multi-line
// quoted scalar may start at any column; the `yaml` package calls that a missing closing quote.
import { CST } from 'yaml';
import type { AliasNode, MapNode, Node, Pair, ScalarNode, SeqNode } from './nodes';
import { applyTag, KeyStrings, plainValue, trimmedEndLength } from './scalars';

export interface FastDoc {
  root: Node | undefined;
  start: number;
  end: number;
}

/** Thrown (never escapes this module) when the parser leaves the subset it is sure about. */
const BAIL = { bail: true };
/** For tests and tuning: set `trace` to record where the parser gave up. */
export const blockYamlDebug = { trace: false, where: '' };
function bail(): never {
  if (blockYamlDebug.trace) blockYamlDebug.where = new Error().stack ?? '';
  throw BAIL;
}

const SPACE = 32;
const TAB = 9;
const LF = 10;
const CR = 13;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const DOT = 46;
const QUESTION = 63;
const COMMA = 44;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;
const AMP = 38;
const STAR = 42;
const BANG = 33;
const PIPE = 124;
const GT = 62;
const SQUOTE = 39;
const DQUOTE = 34;
const PERCENT = 37;
const AT = 64;
const BACKTICK = 96;
const BACKSLASH = 92;

/** Space, tab, line break or end of text (NaN). */
function isWs(c: number): boolean {
  return c === SPACE || c === LF || c === TAB || c === CR || c !== c;
}

function isFlowIndicator(c: number): boolean {
  return c === COMMA || c === LBRACKET || c === RBRACKET || c === LBRACE || c === RBRACE;
}

/** Characters allowed in a tag handle/suffix that we accept (a subset of the spec's URI characters). */
function isTagChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === BANG || c === DASH || c === DOT || c === 95 || c === COLON || c === 47;
}

/**
 * `!`, `!suffix` or `!!suffix`: the tags that need no `%TAG` directive. A named handle (`!e!x`) or a
 * handle without a suffix (`!!`) is an error on the CST path.
 */
function isPlainTag(tag: string): boolean {
  const secondary = tag.charCodeAt(1) === BANG;
  const suffix = tag.slice(secondary ? 2 : 1);
  return !suffix.includes('!') && (!secondary || suffix !== '');
}

interface Props {
  tag?: string;
  anchor?: string;
  start: number;
}

const onResolveError = () => bail();

class BlockParser {
  private pos = 0;
  /** Indentation of the content line at `pos` (a line start), or -1 at the end of the text. */
  private ind = -1;
  private depth = 0;
  private flowLevel = 0;
  private anchors = new Map<string, Node>();
  private readonly n: number;
  // Entries are gathered on shared stacks and copied out at the end of each collection: an array grown
  // by push keeps room for 17 entries, which doubles the memory of a tree of small maps.
  private readonly pairStack: Pair[] = [];
  private readonly keys = new KeyStrings();
  private readonly itemStack: Node[] = [];
  // Caches for "next newline / backslash at or after p" (scans move forward, so these rarely rescan).
  private nlFrom = -1;
  private nlAt = -1;
  private bsFrom = -1;
  private bsAt = -1;
  aliases = 0;

  constructor(private readonly t: string, private readonly maxDepth: number) {
    this.n = t.length;
  }

  position(): number {
    return this.pos;
  }

  private nextNl(p: number): number {
    if (p < this.nlFrom || p > this.nlAt) {
      this.nlFrom = p;
      const i = this.t.indexOf('\n', p);
      this.nlAt = i === -1 ? this.n : i;
    }
    return this.nlAt;
  }

  private nextBackslash(p: number): number {
    if (p < this.bsFrom || p > this.bsAt) {
      this.bsFrom = p;
      const i = this.t.indexOf('\\', p);
      this.bsAt = i === -1 ? this.n : i;
    }
    return this.bsAt;
  }

  private enter(): void {
    if (++this.depth > this.maxDepth) bail();
  }

  /** The first node found deeper than maxDepth (as the CST composer, one error per file). */
  deepError: { start: number; end: number; message: string } | undefined;

  /**
   * Nodes at nesting level maxDepth and below are not read: like the CST composer, each becomes a null
   * scalar at its first character, and the first one gives an error. True when the children of the
   * collection being read are at that level.
   */
  private childrenTooDeep(): boolean {
    return this.depth >= this.maxDepth;
  }

  private tooDeep(offset: number): ScalarNode {
    this.deepError ??= { start: offset, end: offset + 1, message: `Nesting deeper than ${this.maxDepth} levels is not read.` };
    return { kind: 'scalar', value: null, start: offset, end: offset };
  }

  /** Skips a flow entry that is too deep to read (`pos` at it, props included). */
  private skipFlowEntry(minIndent: number): ScalarNode {
    const t = this.t;
    let c = t.charCodeAt(this.pos);
    if (c === BANG || c === AMP) {
      this.props();
      c = this.flowWs(minIndent);
    }
    const offset = this.pos;
    if (c === LBRACKET || c === LBRACE) this.skipBalanced(minIndent);
    else if (c === DQUOTE || c === SQUOTE) this.quoted(c, minIndent);
    else if (c === STAR) {
      let e = offset + 1;
      let d = t.charCodeAt(e);
      while (!isWs(d) && !isFlowIndicator(d)) d = t.charCodeAt(++e);
      this.pos = e;
    } else this.flowPlain(minIndent);
    return this.tooDeep(offset);
  }

  /** Skips a whole flow collection (brackets matched, quotes and comments respected, lines indented). */
  private skipBalanced(minIndent: number): void {
    const t = this.t;
    const closers: number[] = [];
    let p = this.pos;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c !== c) bail();
      if (c === LBRACKET) closers.push(RBRACKET);
      else if (c === LBRACE) closers.push(RBRACE);
      else if (c === RBRACKET || c === RBRACE) {
        if (closers.pop() !== c) bail();
        if (!closers.length) break;
      } else if (c === DQUOTE || c === SQUOTE) {
        this.pos = p;
        this.quoted(c, minIndent);
        p = this.pos;
        continue;
      } else if (c === HASH) {
        if (!isWs(t.charCodeAt(p - 1))) bail();
        p = this.nextNl(p);
        continue;
      } else if (c === LF) {
        let j = p + 1;
        while (t.charCodeAt(j) === SPACE) j++;
        const d = t.charCodeAt(j);
        if (d !== LF && d !== CR && d !== HASH && d === d && (j - p - 1 < minIndent || (j === p + 1 && (this.isDocMarker(j, DASH) || this.isDocMarker(j, DOT))))) bail();
      } else if (c === CR && t.charCodeAt(p + 1) !== LF) bail();
      p++;
    }
    this.pos = p + 1;
  }

  /**
   * A too-deep block sequence item (`pos` just after its `-`) that ends with its line, as in `- - - x`:
   * the rest of the line is skipped (no quote, bracket or comment there, that could change what follows).
   */
  private skipBlockItem(col: number): ScalarNode {
    const t = this.t;
    let p = this.pos;
    let c = t.charCodeAt(p);
    while (c === SPACE) c = t.charCodeAt(++p);
    this.pos = p;
    if (c === BANG || c === AMP) {
      this.props();
      c = t.charCodeAt(this.pos);
    }
    if (c === LF || c === CR || c === HASH || c !== c || c === TAB) bail();
    const offset = this.pos;
    const lineEnd = this.nextNl(offset);
    for (let i = offset; i < lineEnd; i++) {
      const d = t.charCodeAt(i);
      if (d === DQUOTE || d === SQUOTE || d === TAB || isFlowIndicator(d) || (d === HASH && isWs(t.charCodeAt(i - 1)))) bail();
    }
    this.pos = lineEnd < this.n ? lineEnd + 1 : this.n;
    // Only a subtree that ends with its line (`- - - x`): lines below it are the CST path's to judge.
    if (this.nextLine() > col) bail();
    return this.tooDeep(offset);
  }

  // ---- documents ------------------------------------------------------------------------------

  parse(): FastDoc[] {
    const t = this.t;
    const docs: FastDoc[] = [];
    // A byte order mark is skipped (offsets still count it).
    this.pos = t.charCodeAt(0) === 0xfeff ? 1 : 0;
    let ind = this.nextLine();
    while (ind !== -1) {
      let p = this.pos;
      const c = t.charCodeAt(p);
      if (ind === 0 && c === PERCENT) bail();
      let start: number;
      if (ind === 0 && this.isDocMarker(p, DASH)) {
        start = p;
        this.pos = p + 3;
        this.endLine();
        ind = this.ind;
        if (ind === -1 || (ind === 0 && (this.isDocMarker(this.pos, DASH) || this.isDocMarker(this.pos, DOT)))) {
          docs.push({ root: undefined, start, end: start });
          if (ind === 0 && this.isDocMarker(this.pos, DOT)) ind = this.docEnd();
          continue;
        }
        p = this.pos;
      } else if (ind === 0 && this.isDocMarker(p, DOT)) {
        // A document end marker with no document open: the CST path may count an empty document there.
        bail();
      } else start = p; // the start of the line (the CST counts its indentation in)
      this.anchors = new Map();
      const root = this.blockNodeAtLine(ind, -1);
      docs.push({ root, start, end: start });
      ind = this.ind;
      if (ind === -1) break;
      if (ind !== 0) bail();
      if (this.isDocMarker(this.pos, DOT)) ind = this.docEnd();
      else if (!this.isDocMarker(this.pos, DASH)) bail();
    }
    for (let i = 0; i < docs.length; i++) docs[i].end = i + 1 < docs.length ? docs[i + 1].start : this.n;
    return docs;
  }

  /** `---` or `...` at `p` (a line start), followed by white space or the end. */
  private isDocMarker(p: number, c: number): boolean {
    const t = this.t;
    return t.charCodeAt(p) === c && t.charCodeAt(p + 1) === c && t.charCodeAt(p + 2) === c && isWs(t.charCodeAt(p + 3));
  }

  private docEnd(): number {
    this.pos += 3;
    this.endLine();
    return this.ind;
  }

  // ---- lines ----------------------------------------------------------------------------------

  /**
   * From a line start, skips blank and comment-only lines. Leaves `pos` at the start of the next
   * content line and returns (and stores in `ind`) its indentation, or -1 at the end of the text.
   */
  private nextLine(): number {
    const t = this.t;
    const n = this.n;
    let p = this.pos;
    for (;;) {
      if (p >= n) {
        this.pos = n;
        return (this.ind = -1);
      }
      let i = p;
      let c = t.charCodeAt(i);
      while (c === SPACE) c = t.charCodeAt(++i);
      if (c === LF) {
        p = i + 1;
        continue;
      }
      if (c === CR) {
        if (t.charCodeAt(i + 1) !== LF) bail();
        p = i + 2;
        continue;
      }
      if (c === HASH) {
        p = this.nextNl(i) + 1;
        continue;
      }
      if (i >= n) {
        this.pos = n;
        return (this.ind = -1);
      }
      if (c === TAB) bail();
      this.pos = p;
      return (this.ind = i - p);
    }
  }

  /** After a token: only white space and a comment may follow on the line. Moves to the next content line. */
  private endLine(): void {
    const t = this.t;
    let p = this.pos;
    let c = t.charCodeAt(p);
    const before = p;
    while (c === SPACE || c === TAB) c = t.charCodeAt(++p);
    if (c === HASH) {
      if (p === before && p > 0 && !isWs(t.charCodeAt(p - 1))) bail();
      p = this.nextNl(p);
      c = t.charCodeAt(p);
    }
    if (c === LF) p++;
    else if (c === CR && t.charCodeAt(p + 1) === LF) p += 2;
    else if (p < this.n) bail();
    this.pos = p;
    this.nextLine();
  }

  // ---- block structure ------------------------------------------------------------------------

  /**
   * A node that starts a line: `pos` is the line start and its content is at column `ind`. `owner`
   * is the indentation of the key or `-` this node is the value of (-1 for a document root).
   */
  private blockNodeAtLine(ind: number, owner: number): Node {
    const t = this.t;
    const p = this.pos + ind;
    this.pos = p;
    const c = t.charCodeAt(p);
    if (c === DASH && isWs(t.charCodeAt(p + 1))) return this.blockSeq(ind);
    if (c === BANG || c === AMP) {
      // `key:` then `!Ref X` on the next line: props and a node on one line (never a key, never empty).
      const props = this.props();
      const d = t.charCodeAt(this.pos);
      if (d === LF || d === CR || d === HASH || d !== d) {
        // `!If` alone on its line, its block collection below.
        this.endLine();
        if (this.ind <= owner) bail();
        return this.withProps(this.blockNodeAtLine(this.ind, owner), props);
      }
      if (d === PIPE || d === GT) return this.withProps(this.blockScalar(owner), props);
      if (d === QUESTION || d === COLON || d === DASH) bail();
      const node = this.inlineNode(owner + 1, d);
      if (this.peekMapIndicator()) bail();
      this.endLine();
      return this.withProps(node, props);
    }
    if (c === DQUOTE || c === SQUOTE) {
      if (this.quotedIsKey(p)) return this.blockMap(ind);
    } else if (c === PIPE || c === GT || c === QUESTION || (c === COLON && isWs(t.charCodeAt(p + 1)))) bail();
    else if (c !== LBRACKET && c !== LBRACE && c !== STAR) {
      if (this.plainIsKey(p)) return this.blockMap(ind);
    }
    const node = this.inlineNode(owner + 1, c);
    if (this.peekMapIndicator()) bail();
    this.endLine();
    return node;
  }

  /** A flow node, alias or scalar on the current line at `pos` (first char `c`). */
  private inlineNode(minIndent: number, c: number): Node {
    if (c === LBRACKET || c === LBRACE) return this.flow(minIndent);
    if (c === STAR) return this.alias();
    if (c === DQUOTE || c === SQUOTE) return this.quoted(c);
    return this.plain(minIndent);
  }

  /** After a scalar or alias on a line: a `:` (making it a key) follows. */
  private peekMapIndicator(): boolean {
    const t = this.t;
    let p = this.pos;
    let c = t.charCodeAt(p);
    while (c === SPACE || c === TAB) c = t.charCodeAt(++p);
    return c === COLON && isWs(t.charCodeAt(p + 1));
  }

  private quotedIsKey(p: number): boolean {
    const save = this.pos;
    this.pos = p;
    this.quoted(this.t.charCodeAt(p));
    const key = this.peekMapIndicator();
    this.pos = save;
    return key;
  }

  /** Whether the plain scalar at `p` is an implicit key (`: ` comes before a comment or the line end). */
  private plainIsKey(p: number): boolean {
    const t = this.t;
    for (let i = p; ; i++) {
      const c = t.charCodeAt(i);
      if (c === COLON) {
        if (isWs(t.charCodeAt(i + 1))) return true;
      } else if (c === LF || c === CR || c !== c) return false;
      else if ((c === SPACE || c === TAB) && t.charCodeAt(i + 1) === HASH) return false;
    }
  }

  private blockMap(col: number): MapNode {
    this.enter();
    if (this.childrenTooDeep()) bail();
    const t = this.t;
    const start = this.pos;
    const stack = this.pairStack;
    const mark = stack.length;
    let end = start;
    for (;;) {
      const pair = this.entry(col);
      const { key, value } = pair;
      stack.push(pair);
      if (value.end > end) end = value.end;
      if (key.end > end) end = key.end;
      if (this.ind !== col) {
        if (this.ind > col) bail();
        break;
      }
      const p = this.pos + col;
      if (col === 0 && (this.isDocMarker(p, DASH) || this.isDocMarker(p, DOT))) break;
      const c = t.charCodeAt(p);
      if (c === DASH && isWs(t.charCodeAt(p + 1))) bail();
      this.pos = p;
    }
    this.depth--;
    const pairs = stack.slice(mark);
    stack.length = mark;
    return { kind: 'map', pairs, start, end };
  }

  /** One `key: value` entry of a block map at column `col` (`pos` at the key). */
  private entry(col: number): Pair {
    const key = this.key();
    let value = this.blockValue(col, false);
    if (!value) {
      value = { kind: 'scalar', value: null, start: key.end, end: key.end } as ScalarNode;
      const props = this.emptyProps;
      if (props?.tag) value = applyTag(value, props.tag, props.start);
    }
    return { key, value };
  }

  /**
   * The entries of a block map at column `col` written between the line starts `from` and `to` (an
   * incremental re-parse of part of a map); `depth` is the map's nesting depth. Gives up unless the
   * region is exactly whole entries: the line at `to`, if any, must start the map's next entry or end
   * the map.
   */
  entries(from: number, to: number, col: number, depth: number): Pair[] {
    this.depth = depth;
    this.pos = from;
    const pairs: Pair[] = [];
    let ind = this.nextLine();
    while (this.pos < to) {
      if (ind !== col) bail();
      this.pos += col;
      if (col === 0 && (this.isDocMarker(this.pos, DASH) || this.isDocMarker(this.pos, DOT))) bail();
      pairs.push(this.entry(col));
      ind = this.ind;
    }
    if (this.pos !== to || (ind > col && to < this.n) || this.anchors.size || this.aliases) bail();
    return pairs;
  }

  private blockSeq(col: number): SeqNode {
    this.enter();
    const t = this.t;
    const start = this.pos;
    const stack = this.itemStack;
    const mark = stack.length;
    let end = start;
    const deep = this.childrenTooDeep();
    for (;;) {
      this.pos++;
      const value = deep ? this.skipBlockItem(col) : this.blockValue(col, true);
      // An empty item (`-` alone): rare in templates, and its position rules are the CST's; leave it to it.
      if (!value) bail();
      stack.push(value);
      if (value.end > end) end = value.end;
      if (this.ind !== col) {
        if (this.ind > col) bail();
        break;
      }
      const p = this.pos + col;
      if (col === 0 && (this.isDocMarker(p, DASH) || this.isDocMarker(p, DOT))) break;
      if (t.charCodeAt(p) !== DASH || !isWs(t.charCodeAt(p + 1))) break;
      this.pos = p;
    }
    this.depth--;
    const items = stack.slice(mark);
    stack.length = mark;
    return { kind: 'seq', items, start, end };
  }

  /** Props of an empty value, for the caller to place the null node. */
  private emptyProps: Props | undefined;

  /**
   * The value after `key:` (owner = the key's column) or after `-` (owner = the dash's column), with
   * `pos` just after the indicator. Returns undefined for an empty value (its props in `emptyProps`).
   * Leaves `pos` at the start of the next content line.
   */
  private blockValue(owner: number, inSeq: boolean): Node | undefined {
    const t = this.t;
    let p = this.pos;
    let c = t.charCodeAt(p);
    let tab = false;
    while (c === SPACE || c === TAB) {
      if (c === TAB) tab = true;
      c = t.charCodeAt(++p);
    }
    this.pos = p;
    let props: Props | undefined;
    if (c === BANG || c === AMP) {
      props = this.props();
      p = this.pos;
      c = t.charCodeAt(p);
    }
    if (c === LF || c === CR || c === HASH || c !== c) {
      // The value, if any, is on the following lines.
      if (c === HASH && p > 0 && !isWs(t.charCodeAt(p - 1))) bail();
      this.endLine();
      const ind = this.ind;
      if (ind > owner || (ind === owner && !inSeq && ind !== -1 && this.seqAt(this.pos + ind))) {
        const node = this.blockNodeAtLine(ind, owner);
        return props ? this.withProps(node, props) : node;
      }
      this.emptyProps = props;
      return undefined;
    }
    let node: Node;
    if (c === PIPE || c === GT) {
      node = this.blockScalar(owner);
      return props ? this.withProps(node, props) : node;
    }
    if (c === DASH && isWs(t.charCodeAt(p + 1))) {
      if (!inSeq || props || tab) bail();
      return this.blockSeq(p - this.lineStart(p));
    }
    if (c === DQUOTE || c === SQUOTE) {
      node = this.quoted(c);
      if (this.peekMapIndicator()) {
        if (!inSeq || props || tab || node.end > this.nextNl(p)) bail();
        this.pos = p;
        return this.blockMap(p - this.lineStart(p));
      }
    } else if (c === LBRACKET || c === LBRACE) node = this.flow(owner + 1);
    else if (c === STAR) node = this.alias();
    else if (c === QUESTION || c === COLON) {
      if (isWs(t.charCodeAt(p + 1))) bail();
      node = this.plain(owner + 1);
    } else {
      if (inSeq && !props && this.plainIsKey(p)) {
        if (tab) bail();
        return this.blockMap(p - this.lineStart(p));
      }
      node = this.plain(owner + 1);
    }
    if (this.peekMapIndicator()) bail();
    this.endLine();
    return props ? this.withProps(node, props) : node;
  }

  private lineStart(p: number): number {
    return this.t.lastIndexOf('\n', p - 1) + 1;
  }

  private seqAt(p: number): boolean {
    return this.t.charCodeAt(p) === DASH && isWs(this.t.charCodeAt(p + 1));
  }

  private withProps(node: Node, props: Props): Node {
    let n = node;
    if (props.tag) n = applyTag(n, props.tag, props.start);
    if (props.anchor !== undefined) this.anchors.set(props.anchor, n);
    return n;
  }

  /** Tags and anchors before a node, each followed by white space. */
  private props(): Props {
    const t = this.t;
    const props: Props = { start: this.pos };
    for (;;) {
      const p = this.pos;
      const c = t.charCodeAt(p);
      let e = p + 1;
      if (c === BANG) {
        if (props.tag !== undefined || t.charCodeAt(e) === 60) bail();
        while (isTagChar(t.charCodeAt(e))) e++;
        props.tag = t.slice(p, e);
        if (!isPlainTag(props.tag)) bail();
      } else if (c === AMP) {
        if (props.anchor !== undefined) bail();
        let d = t.charCodeAt(e);
        while (!isWs(d) && !isFlowIndicator(d)) d = t.charCodeAt(++e);
        if (e === p + 1) bail();
        props.anchor = t.slice(p + 1, e);
      } else return props;
      let d = t.charCodeAt(e);
      if (d !== SPACE && d !== TAB && d !== LF && d !== CR && e < this.n) bail();
      while (d === SPACE || d === TAB) d = t.charCodeAt(++e);
      this.pos = e;
    }
  }

  private key(): ScalarNode {
    const t = this.t;
    const p = this.pos;
    const c = t.charCodeAt(p);
    let key: ScalarNode;
    if (c === DQUOTE || c === SQUOTE) {
      key = this.quoted(c);
      if (key.end > this.nextNl(p)) bail();
      let e = this.pos;
      while (t.charCodeAt(e) === SPACE) e++;
      if (t.charCodeAt(e) !== COLON) bail();
      this.pos = e + 1;
    } else {
      if (isFlowIndicator(c) || c === BANG || c === AMP || c === STAR || c === QUESTION || c === PIPE || c === GT || c === HASH || c === PERCENT || c === AT || c === BACKTICK || c === COLON || c === SPACE || c === TAB) bail();
      if (c === DASH && isWs(t.charCodeAt(p + 1))) bail();
      let e = p;
      let last = p;
      for (;;) {
        const d = t.charCodeAt(e);
        if (d === COLON) {
          if (isWs(t.charCodeAt(e + 1))) break;
          last = e + 1;
        } else if (d === SPACE || d === TAB) {
          if (t.charCodeAt(e + 1) === HASH) bail();
        } else if (d === LF || d === CR || d !== d) bail();
        else last = e + 1;
        e++;
      }
      if (last - p > 1000) bail();
      const s = this.keys.get(t, p, last);
      key = { kind: 'scalar', value: plainValue(s), start: p, end: last };
      this.pos = e + 1;
    }
    return key;
  }

  // ---- scalars --------------------------------------------------------------------------------

  /** A plain scalar in block context; continuation lines need at least `minIndent` spaces. */
  private plain(minIndent: number): ScalarNode {
    const t = this.t;
    const start = this.pos;
    const c0 = t.charCodeAt(start);
    if (c0 === COMMA || c0 === PERCENT || c0 === AT || c0 === BACKTICK || c0 === HASH || c0 === PIPE || c0 === GT || c0 === RBRACKET || c0 === RBRACE) bail();
    let i = start;
    let end = start;
    let multi = false;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === COLON) {
        if (isWs(t.charCodeAt(i + 1))) break;
        end = ++i;
      } else if (c === SPACE || c === TAB) {
        if (t.charCodeAt(i + 1) === HASH) break;
        i++;
      } else if (c === LF || c === CR) {
        if (c === CR && t.charCodeAt(i + 1) !== LF) bail();
        // Continuation: blank lines, and lines indented at least minIndent (not comments, not markers).
        const next = this.continuation(i, minIndent);
        if (next === -1) break;
        multi = true;
        i = next;
      } else if (c !== c) break;
      else end = ++i;
    }
    return this.plainScalar(start, end, multi);
  }

  /** The plain scalar `start..end`; a multi-line one is folded as the `yaml` package does. */
  private plainScalar(start: number, end: number, multi: boolean): ScalarNode {
    this.pos = end;
    const source = this.t.slice(start, end);
    if (!multi || this.nextNl(start) >= end) return { kind: 'scalar', value: plainValue(source), start, end };
    const r = CST.resolveAsScalar({ type: 'scalar', offset: start, indent: 0, source } as CST.FlowScalar, false, onResolveError);
    return { kind: 'scalar', value: plainValue(r ? r.value : source), start, end };
  }

  /**
   * At a line break `i` inside a plain scalar: the offset where scanning continues on a following
   * line (its first non-space character), or -1 when the scalar ends here.
   */
  private continuation(i: number, minIndent: number): number {
    const j = this.nextContentLine(i);
    const p = this.lineStartOf(j);
    const c = this.t.charCodeAt(j);
    if (c !== c) return -1;
    if (c === TAB) bail();
    if (c === HASH) return -1;
    if (j - p < minIndent) return -1;
    if (j === p && (this.isDocMarker(p, DASH) || this.isDocMarker(p, DOT))) return -1;
    if (this.flowLevel > 0) bail();
    return j;
  }

  /** After the line break at `i`: the first non-space character of the next line that is not blank. */
  private nextContentLine(i: number): number {
    const t = this.t;
    let p = t.charCodeAt(i) === CR ? i + 2 : i + 1;
    for (;;) {
      let j = p;
      let c = t.charCodeAt(j);
      while (c === SPACE) c = t.charCodeAt(++j);
      if (c === LF) {
        p = j + 1;
        continue;
      }
      if (c === CR) {
        if (t.charCodeAt(j + 1) !== LF) bail();
        p = j + 2;
        continue;
      }
      return j;
    }
  }

  /** The start of the line holding `j`, given only spaces stand before `j` on it. */
  private lineStartOf(j: number): number {
    let p = j;
    while (this.t.charCodeAt(p - 1) === SPACE) p--;
    return p;
  }

  /** A quoted scalar; inside a flow collection its continuation lines need `minIndent` spaces. */
  private quoted(q: number, minIndent = 0): ScalarNode {
    const t = this.t;
    const start = this.pos;
    let close: number;
    let escaped = false;
    if (q === SQUOTE) {
      close = t.indexOf("'", start + 1);
      while (close !== -1 && t.charCodeAt(close + 1) === SQUOTE) {
        escaped = true;
        close = t.indexOf("'", close + 2);
      }
    } else {
      close = t.indexOf('"', start + 1);
      while (close !== -1) {
        let k = 0;
        while (t.charCodeAt(close - 1 - k) === BACKSLASH) k++;
        if (k % 2 === 0) break;
        close = t.indexOf('"', close + 1);
      }
    }
    if (close === -1) bail();
    const end = close + 1;
    this.pos = end;
    const nl = this.nextNl(start);
    const multi = nl < close;
    if (multi) {
      // In block context continuation lines may start at any column (PyYAML accepts that), but never
      // at a document marker. Inside a flow collection they follow the collection's indentation.
      const flow = this.flowLevel > 0;
      for (let k = nl; k < close; k = t.indexOf('\n', k + 1)) {
        if (k === -1) break;
        if (this.isDocMarker(k + 1, DASH) || this.isDocMarker(k + 1, DOT)) bail();
        if (flow) {
          let j = k + 1;
          while (t.charCodeAt(j) === SPACE) j++;
          const c = t.charCodeAt(j);
          if (j - k - 1 < minIndent && c !== LF && !(c === CR && t.charCodeAt(j + 1) === LF)) bail();
        }
      }
    }
    if (!multi) {
      if (q === DQUOTE ? this.nextBackslash(start) > close : !escaped) {
        return { kind: 'scalar', value: t.slice(start + 1, close), quoted: true, start, end };
      }
    }
    const r = CST.resolveAsScalar(
      { type: q === DQUOTE ? 'double-quoted-scalar' : 'single-quoted-scalar', offset: start, indent: 0, source: t.slice(start, end) } as CST.FlowScalar,
      false,
      onResolveError,
    );
    return { kind: 'scalar', value: r ? r.value : '', quoted: true, start, end };
  }

  private alias(): AliasNode {
    const t = this.t;
    const start = this.pos;
    let e = start + 1;
    let c = t.charCodeAt(e);
    while (!isWs(c) && !isFlowIndicator(c)) c = t.charCodeAt(++e);
    if (e === start + 1) bail();
    const target = this.anchors.get(t.slice(start + 1, e));
    if (!target) bail();
    this.pos = e;
    this.aliases++;
    return { kind: 'alias', target, start, end: e };
  }

  /** A `|` or `>` block scalar; `owner` is the indentation of its key or dash. */
  private blockScalar(owner: number): ScalarNode {
    const t = this.t;
    const n = this.n;
    const start = this.pos;
    let p = start + 1;
    let chomp = 0;
    for (;;) {
      const c = t.charCodeAt(p);
      if ((c === DASH || c === 43) && !chomp) chomp = c;
      else if (isWs(c)) break;
      else bail(); // explicit indentation indicators and anything else: leave them to the CST path
      p++;
    }
    const header = t.slice(start, p);
    let c = t.charCodeAt(p);
    const afterHeader = p;
    while (c === SPACE || c === TAB) c = t.charCodeAt(++p);
    if (c === HASH) {
      if (p === afterHeader) bail();
      p = this.nextNl(p);
      c = t.charCodeAt(p);
    }
    if (c === CR) {
      if (t.charCodeAt(p + 1) !== LF) bail();
      p++;
      c = LF;
    }
    if (c !== LF && p < n) bail();
    const bodyStart = p < n ? p + 1 : n;
    const keep = chomp === 43;
    // The extent of the body, as the `yaml` lexer decides it.
    let nl = bodyStart - 1;
    let indent = 0;
    let i = bodyStart;
    for (; i < n; i++) {
      const d = t.charCodeAt(i);
      if (d === SPACE) indent++;
      else if (d === LF) {
        nl = i;
        indent = 0;
      } else if (d === CR && t.charCodeAt(i + 1) === LF) continue;
      else break;
    }
    if (i < n && t.charCodeAt(i) === TAB) bail();
    if (indent >= owner + 1) {
      const indentNext = indent;
      if (indentNext === 0) bail();
      do {
        const cs = this.blockContinue(nl + 1, indentNext);
        if (cs === -1) break;
        nl = t.indexOf('\n', cs);
      } while (nl !== -1);
      if (nl === -1) nl = n;
    }
    let k = nl + 1;
    let d = t.charCodeAt(k);
    while (d === SPACE) d = t.charCodeAt(++k);
    if (d === TAB) bail();
    if (!keep) {
      for (;;) {
        let j = nl - 1;
        let ch = t.charCodeAt(j);
        if (ch === CR) ch = t.charCodeAt(--j);
        const lastChar = j;
        while (ch === SPACE) ch = t.charCodeAt(--j);
        if (ch === LF && j >= bodyStart && j + 1 + indent > lastChar) nl = j;
        else break;
      }
    }
    const source = t.slice(bodyStart, nl + 1);
    const r = CST.resolveAsScalar(
      {
        type: 'block-scalar',
        offset: start,
        indent: Math.max(owner, 0),
        props: [{ type: 'block-scalar-header', offset: start, indent: Math.max(owner, 0), source: header }],
        source,
      } as CST.BlockScalar,
      false,
      onResolveError,
    );
    this.pos = Math.min(nl + 1, n);
    this.nextLine();
    return { kind: 'scalar', value: r ? r.value : '', quoted: true, start, end: bodyStart + trimmedEndLength(source) };
  }

  /** The `yaml` lexer's continueScalar for a block scalar body indented `indentNext` (> 0). */
  private blockContinue(offset: number, indentNext: number): number {
    const t = this.t;
    let indent = 0;
    let ch = t.charCodeAt(offset);
    while (ch === SPACE) ch = t.charCodeAt(++indent + offset);
    if (ch === CR && t.charCodeAt(indent + offset + 1) === LF) return offset + indent + 1;
    return ch === LF || indent >= indentNext ? offset + indent : -1;
  }

  // ---- flow collections -----------------------------------------------------------------------

  /** `[...]` or `{...}`; lines inside need at least `minIndent` spaces (the closing bracket one less). */
  private flow(minIndent: number): Node {
    this.enter();
    this.flowLevel++;
    const t = this.t;
    const start = this.pos;
    const isMap = t.charCodeAt(start) === LBRACE;
    const close = isMap ? RBRACE : RBRACKET;
    this.pos++;
    const pairStack = this.pairStack;
    const itemStack = this.itemStack;
    const pairMark = pairStack.length;
    const itemMark = itemStack.length;
    let c = this.flowWs(minIndent);
    const deep = this.childrenTooDeep();
    if (c !== close) {
      for (;;) {
        if (isMap) {
          const key = deep ? this.skipFlowEntry(minIndent) : this.flowNode(minIndent);
          if (key.kind !== 'scalar' || key.tag !== undefined) bail();
          let s = this.flowWs(minIndent);
          if (s !== COLON) bail();
          // After a plain key, `:` must be followed by white space or a flow indicator.
          const after = t.charCodeAt(this.pos + 1);
          if (!(key as ScalarNode).quoted && !isWs(after) && !isFlowIndicator(after)) bail();
          this.pos++;
          s = this.flowWs(minIndent);
          let value: Node;
          if (s === COMMA || s === RBRACE) value = { kind: 'scalar', value: null, start: key.end, end: key.end } as ScalarNode;
          else value = deep ? this.skipFlowEntry(minIndent) : this.flowNode(minIndent);
          pairStack.push({ key: key as ScalarNode, value });
        } else {
          const itemStart = this.pos;
          let item = deep ? this.skipFlowEntry(minIndent) : this.flowNode(minIndent, true);
          if (!deep && this.flowWs(minIndent) === COLON) item = this.flowPair(item, itemStart, minIndent);
          itemStack.push(item);
        }
        c = this.flowWs(minIndent);
        if (c === close) break;
        if (c !== COMMA) bail();
        this.pos++;
        c = this.flowWs(minIndent);
        if (c === close) break; // a trailing comma
        if (c === COMMA) bail(); // an empty entry
      }
    }
    this.pos++;
    this.flowLevel--;
    this.depth--;
    if (isMap) {
      const pairs = pairStack.slice(pairMark);
      pairStack.length = pairMark;
      return { kind: 'map', pairs, start, end: this.pos };
    }
    const items = itemStack.slice(itemMark);
    itemStack.length = itemMark;
    return { kind: 'seq', items, start, end: this.pos };
  }

  /**
   * `[key: value]`: a one-pair map inside a flow sequence, `pos` at the `:`. Only a plain or quoted
   * key on one line, without props, and a value (an empty one is placed oddly by the CST composer).
   */
  private flowPair(key: Node, keyStart: number, minIndent: number): MapNode {
    const t = this.t;
    const c0 = t.charCodeAt(keyStart);
    if (key.kind !== 'scalar' || key.tag !== undefined || c0 === BANG || c0 === AMP) bail();
    if (this.nextNl(keyStart) < this.pos || key.end - key.start > 1000) bail();
    const after = t.charCodeAt(this.pos + 1);
    if (!key.quoted && !isWs(after) && !isFlowIndicator(after)) bail();
    this.pos++;
    const v = this.flowWs(minIndent);
    if (v === COMMA || v === RBRACKET || v !== v) bail();
    const value = this.flowNode(minIndent);
    return { kind: 'map', pairs: [{ key, value }], start: key.start, end: Math.max(key.end, value.end) };
  }

  private flowNode(minIndent: number, inSeq = false): Node {
    const t = this.t;
    let c = t.charCodeAt(this.pos);
    let props: Props | undefined;
    if (c === BANG || c === AMP) {
      props = this.props();
      c = this.flowWs(minIndent);
      if (isFlowIndicator(c) && c !== LBRACKET && c !== LBRACE) {
        if (!inSeq || !props.tag || (c !== COMMA && c !== RBRACKET)) bail();
        return this.withProps(this.flowEmpty(), props);
      }
    }
    let node: Node;
    if (c === LBRACKET || c === LBRACE) node = this.flow(minIndent);
    else if (c === STAR) node = this.alias();
    else if (c === DQUOTE || c === SQUOTE) node = this.quoted(c, minIndent);
    else node = this.flowPlain(minIndent);
    return props ? this.withProps(node, props) : node;
  }

  /**
   * The null of a tagged empty entry in a flow sequence (`[!GetAZs ]`), placed as the CST composer
   * places it: one past the start of the last white-space token before the `,` or `]`.
   */
  private flowEmpty(): ScalarNode {
    const t = this.t;
    let p = this.pos - 1;
    let c = t.charCodeAt(p);
    if (c === SPACE || c === TAB) {
      while (c === SPACE || c === TAB) c = t.charCodeAt(--p);
      p++;
    } else if (c === LF) {
      if (t.charCodeAt(p - 1) === CR) p--;
    } else bail();
    // A comment before the terminator would be the last token: leave that to the CST path.
    const nl = t.lastIndexOf('\n', p);
    if (t.indexOf('#', nl + 1) !== -1 && t.indexOf('#', nl + 1) < p) bail();
    return { kind: 'scalar', value: null, start: p + 1, end: p + 1 };
  }

  /** A single-line plain scalar inside a flow collection. */
  private flowPlain(minIndent: number): ScalarNode {
    const t = this.t;
    const start = this.pos;
    const c0 = t.charCodeAt(start);
    if (isFlowIndicator(c0) || c0 === HASH || c0 === PIPE || c0 === GT || c0 === PERCENT || c0 === AT || c0 === BACKTICK || c0 === BANG || c0 === AMP || c0 === STAR || c0 === SQUOTE || c0 === DQUOTE) bail();
    if ((c0 === DASH || c0 === QUESTION || c0 === COLON) && (isWs(t.charCodeAt(start + 1)) || isFlowIndicator(t.charCodeAt(start + 1)))) bail();
    let i = start;
    let end = start;
    let multi = false;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === COLON) {
        const d = t.charCodeAt(i + 1);
        if (isWs(d) || isFlowIndicator(d)) break;
        end = ++i;
      } else if (c === SPACE || c === TAB) {
        const d = t.charCodeAt(i + 1);
        if (d === HASH || isFlowIndicator(d)) break;
        i++;
      } else if (c === LF || c === CR) {
        if (c === CR && t.charCodeAt(i + 1) !== LF) bail();
        // The scalar goes on over the next line (as the `yaml` lexer reads it) unless that line starts
        // with a comment, a flow indicator or a `:` indicator, or is not indented enough.
        const next = this.flowContinuation(i, minIndent);
        if (next === -1) break;
        multi = true;
        i = next;
      } else if (c !== c || isFlowIndicator(c)) break;
      else end = ++i;
    }
    if (end === start) bail();
    return this.plainScalar(start, end, multi);
  }

  /**
   * At a line break `i` inside a plain scalar in a flow collection: where scanning goes on (the first
   * non-space character of the next non-blank line), or -1 when the scalar ends here.
   */
  private flowContinuation(i: number, minIndent: number): number {
    const t = this.t;
    const j = this.nextContentLine(i);
    const p = this.lineStartOf(j);
    const c = t.charCodeAt(j);
    if (c !== c || c === HASH || isFlowIndicator(c)) return -1;
    if (c === TAB) bail();
    if (c === COLON) {
      const d = t.charCodeAt(j + 1);
      if (isWs(d) || isFlowIndicator(d)) return -1;
    }
    if (j - p < minIndent) bail();
    if (j === p && (this.isDocMarker(p, DASH) || this.isDocMarker(p, DOT))) bail();
    return j;
  }

  /**
   * Skips white space, line breaks and comments inside a flow collection; returns the next character.
   * Lines must be indented at least `minIndent` (a closing bracket of the outermost collection may
   * sit one column less), and never hold a document marker.
   */
  private flowWs(minIndent: number): number {
    const t = this.t;
    let p = this.pos;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === SPACE || c === TAB) p++;
      else if (c === LF || c === CR) {
        if (c === CR && t.charCodeAt(p + 1) !== LF) bail();
        p += c === CR ? 2 : 1;
        const lineStart = p;
        let d = t.charCodeAt(p);
        while (d === SPACE) d = t.charCodeAt(++p);
        if (d === LF || d === CR || d === HASH || d !== d) continue;
        const ind = p - lineStart;
        if (ind < minIndent) {
          const closer = d === RBRACKET || d === RBRACE;
          if (!(closer && this.flowLevel === 1 && ind === minIndent - 1)) bail();
        }
        if (ind === 0 && (this.isDocMarker(p, DASH) || this.isDocMarker(p, DOT))) bail();
      } else if (c === HASH) {
        if (!isWs(t.charCodeAt(p - 1))) bail();
        p = this.nextNl(p);
      } else {
        this.pos = p;
        return c;
      }
    }
  }
}

/** See `BlockParser.entries`; undefined when the region is not whole entries of the fast subset. */
export function parseBlockEntries(text: string, from: number, to: number, col: number, depth: number, maxDepth: number): Pair[] | undefined {
  try {
    return new BlockParser(text, maxDepth).entries(from, to, col, depth);
  } catch {
    return undefined;
  }
}

/**
 * Parses a YAML stream with the fast block parser. Undefined when the text uses anything outside the
 * subset it handles (or has an error): the caller then uses the CST composer.
 */
export function parseBlockYaml(text: string, maxDepth: number): { docs: FastDoc[]; aliases: number; errors: Array<{ start: number; end: number; message: string }> } | undefined {
  const parser = new BlockParser(text, maxDepth);
  try {
    if (blockYamlDebug.trace) blockYamlDebug.where = '';
    const docs = parser.parse();
    return { docs, aliases: parser.aliases, errors: parser.deepError ? [parser.deepError] : [] };
  } catch (e) {
    if (e === BAIL) {
      if (blockYamlDebug.trace) blockYamlDebug.where = `at ${parser.position()}\n${blockYamlDebug.where}`;
      return undefined;
    }
    // A stack overflow or any other surprise: the CST path decides.
    return undefined;
  }
}
