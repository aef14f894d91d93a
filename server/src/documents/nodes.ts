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
  let merges = false;
  for (let i = 0; i < pairs.length; i++) {
    const k = pairs[i].key;
    if (k.value === key) return pairs[i];
    if (k.value === '<<') merges = true;
  }
  return merges ? mergedPair(m, key) : undefined;
}

// ---- YAML merge keys (`<<: *base`, `<<: [*a, *b]`) ------------------------------------------------
// Read, never expanded: the tree keeps the `<<` pair as written (so walks and offsets are unchanged),
// and `pair`/`get`/`entries` look through it. Explicit keys win over merged ones; of several merged
// maps the first that has the key wins (YAML 1.1 merge semantics, as kubectl and PyYAML read them).

/** A plain (unquoted) `<<` key. JSON keys are always quoted, so JSON never merges. */
export function isMergeKey(key: ScalarNode): boolean {
  return key.value === '<<' && !key.quoted && (key.tag === undefined || key.tag === '!!merge' || key.tag === 'tag:yaml.org,2002:merge');
}

/** At most this many merged maps are looked through for one read (merge chains and diamonds stay cheap). */
const MAX_MERGED_MAPS = 64;

/** The maps a map merges in, in order of precedence (nearest first), each once. */
function mergedMaps(map: MapNode, out: MapNode[], seen: Set<Node>): void {
  for (const p of map.pairs) {
    if (!isMergeKey(p.key)) continue;
    const v = deref(p.value);
    const sources = v?.kind === 'seq' ? v.items : [p.value];
    for (const source of sources) {
      const m = deref(source);
      if (m?.kind !== 'map' || seen.has(m) || out.length >= MAX_MERGED_MAPS) continue;
      seen.add(m);
      out.push(m);
    }
  }
}

/** The merged maps of `map`, breadth first through their own merge keys. */
function mergeSources(map: MapNode): MapNode[] {
  const out: MapNode[] = [];
  const seen = new Set<Node>([map]);
  mergedMaps(map, out, seen);
  // Depth first would be YAML's order; each merged map's own merges come right after it.
  const ordered: MapNode[] = [];
  const visit = (m: MapNode, depth: number) => {
    ordered.push(m);
    if (depth > 16 || ordered.length >= MAX_MERGED_MAPS) return;
    const inner: MapNode[] = [];
    mergedMaps(m, inner, seen);
    for (const i of inner) if (ordered.length < MAX_MERGED_MAPS) visit(i, depth + 1);
  };
  for (const m of out) if (ordered.length < MAX_MERGED_MAPS) visit(m, 0);
  return ordered;
}

function mergedPair(map: MapNode, key: string): Pair | undefined {
  for (const m of mergeSources(map)) {
    for (const p of m.pairs) if (p.key.value === key && !isMergeKey(p.key)) return p;
  }
  return undefined;
}

/**
 * The pairs of a map as YAML reads them: explicit pairs in order, then merged pairs whose key is not
 * already set (merge keys themselves left out). The map's own `pairs` when it has no merge key.
 */
export function entries(map: Node | undefined): Pair[] {
  const m = deref(map);
  if (m?.kind !== 'map') return [];
  if (!m.pairs.some((p) => isMergeKey(p.key))) return m.pairs;
  const out: Pair[] = [];
  const keys = new Set<unknown>();
  for (const p of m.pairs) {
    if (isMergeKey(p.key)) continue;
    out.push(p);
    keys.add(p.key.value);
  }
  for (const source of mergeSources(m)) {
    for (const p of source.pairs) {
      if (isMergeKey(p.key) || keys.has(p.key.value)) continue;
      keys.add(p.key.value);
      out.push(p);
    }
  }
  return out;
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
