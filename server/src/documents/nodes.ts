// The position-keeping node tree that YAML and JSON both parse into, and small readers over it.

export type Scalar = string | number | boolean | null;

interface Base {
  /** Offset (UTF-16 code units) of the node's first character. */
  start: number;
  /** Offset just past the node's last character. */
  end: number;
  /** A YAML tag that was not turned into an intrinsic (e.g. a custom `!Foo`). */
  tag?: string;
}

export interface ScalarNode extends Base {
  kind: 'scalar';
  value: Scalar;
  /** True for quoted and block scalars: `"true"` stays a string, never a boolean. */
  quoted?: boolean;
}

export interface Pair {
  key: ScalarNode;
  /** A missing value (`Key:` with nothing after it) is a null scalar at the end of the key. */
  value: Node;
}

export interface MapNode extends Base {
  kind: 'map';
  pairs: Pair[];
  /** Set when the map was made from a CloudFormation short tag such as `!Ref`. */
  shortTag?: string;
}

export interface SeqNode extends Base {
  kind: 'seq';
  items: Node[];
}

/** A YAML alias. Kept as a pointer, never expanded, so alias bombs cost nothing. */
export interface AliasNode extends Base {
  kind: 'alias';
  target?: Node;
}

export type Node = ScalarNode | MapNode | SeqNode | AliasNode;

/** Follows an alias to the node it names (one hop; anchors cannot point at aliases). */
export function deref(node: Node | undefined): Exclude<Node, AliasNode> | undefined {
  if (node?.kind === 'alias') return node.target?.kind === 'alias' ? undefined : node.target;
  return node;
}

export function asMap(node: Node | undefined): MapNode | undefined {
  const n = deref(node);
  return n?.kind === 'map' ? n : undefined;
}

export function asSeq(node: Node | undefined): SeqNode | undefined {
  const n = deref(node);
  return n?.kind === 'seq' ? n : undefined;
}

export function asScalar(node: Node | undefined): ScalarNode | undefined {
  const n = deref(node);
  return n?.kind === 'scalar' ? n : undefined;
}

/** The text of a scalar (numbers and booleans as written), or undefined for anything else. */
export function str(node: Node | undefined): string | undefined {
  const n = asScalar(node);
  if (!n || n.value === null) return undefined;
  return String(n.value);
}

export function pair(map: Node | undefined, key: string): Pair | undefined {
  // The hottest reader of all (every rule calls it): asMap/deref written out, an indexed loop.
  if (map == null) return undefined;
  let m: Node | undefined = map;
  if (m.kind === 'alias') {
    m = m.target;
    if (m == null || m.kind === 'alias') return undefined;
  }
  if (m.kind !== 'map') return undefined;
  const pairs = m.pairs;
  for (let i = 0; i < pairs.length; i++) if (pairs[i].key.value === key) return pairs[i];
  return undefined;
}

export function get(map: Node | undefined, key: string): Node | undefined {
  const p = pair(map, key);
  return p === undefined ? undefined : p.value;
}

/** Reads a path of keys and sequence indexes; undefined as soon as one step is missing. */
export function at(node: Node | undefined, ...path: Array<string | number>): Node | undefined {
  let cur = node;
  for (const step of path) {
    if (typeof step === 'number') cur = asSeq(cur)?.items[step];
    else cur = get(cur, step);
    if (!cur) return undefined;
  }
  return cur;
}

/** The items of a sequence, or [] when the node is absent or not a sequence. */
export function items(node: Node | undefined): Node[] {
  return asSeq(node)?.items ?? [];
}

/** True when the node is YAML null or missing. */
export function isNull(node: Node | undefined): boolean {
  const n = deref(node);
  return !n || (n.kind === 'scalar' && n.value === null);
}

/**
 * Visits every node below `node` (aliases are not followed, so shared subtrees are seen once).
 * Return false from `visit` to skip a node's children.
 */
export function walk(node: Node | undefined, visit: (n: Node) => boolean | void): void {
  if (!node) return;
  const stack: Node[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (visit(n) === false) continue;
    if (n.kind === 'map') for (let i = n.pairs.length - 1; i >= 0; i--) stack.push(n.pairs[i].value);
    else if (n.kind === 'seq') for (let i = n.items.length - 1; i >= 0; i--) stack.push(n.items[i]);
  }
}
