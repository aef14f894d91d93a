// Runs a parsed template to text while recording where every character of the output came from: literal
// text maps 1:1 to the template, an action's output (including everything a named template or `tpl`
// wrote) maps to the action's range. What cannot be known is recorded too: an unknown value inline is a
// placeholder the rules read as unknown; an unknown condition, loop or block of YAML marks the output there
// as unknown (the document around it is not linted).
import { FUNCS, LAZY, NIL_OK, OPAQUE } from './funcs';
import { parseTemplate, TemplateSyntaxError, type Arg, type Pipe, type TNode } from './template';
import { goString, hasUnknown, isDict, MISSING, originOf, truthy, UNKNOWN, type Dict, type Origin, type Value } from './values';

/** Written where an unknown value is output inline: `isPlaceholder` (model/kubernetes.ts) reads it as unknown. */
export const PLACEHOLDER = '$(helm-unknown)';

export interface Segment {
  /** Offset in the output. */
  out: number;
  len: number;
  /** Template source range: literal text (1:1) or the whole action. */
  src: number;
  srcEnd: number;
  literal: boolean;
  /** The values entry that decided it: the value an action printed, or the innermost condition around text. */
  origin?: Origin;
}

export interface Rendered {
  text: string;
  segments: Segment[];
  /** Output offsets where something unknown was (not) written, and the template offset of what it was. */
  unknownAt: number[];
  unknownSrc: number[];
}

export class RenderError extends Error {}

/** Rendered text beyond this (UTF-16 code units) stops the render. */
const MAX_OUTPUT = 16 * 1024 * 1024;

class Out {
  text = '';
  readonly segments: Segment[] = [];
  readonly unknownAt: number[] = [];
  readonly unknownSrc: number[] = [];
  constructor(readonly record: boolean) {}

  write(s: string, src: number, srcEnd: number, literal: boolean, origin?: Origin): void {
    if (!s) return;
    if (this.text.length + s.length > MAX_OUTPUT) throw new RenderError('the rendered text is too large');
    if (this.record) this.segments.push({ out: this.text.length, len: s.length, src, srcEnd, literal, origin });
    this.text += s;
  }

  unknown(src: number): void {
    this.unknownAt.push(this.text.length);
    this.unknownSrc.push(src);
  }
}

class Break {}
class Continue {}

interface Scope {
  vars: Map<string, Value>;
  parent?: Scope;
}

function lookupVar(s: Scope | undefined, name: string): Value | undefined {
  for (let x = s; x; x = x.parent) if (x.vars.has(name)) return x.vars.get(name);
  return undefined;
}

function assignVar(s: Scope | undefined, name: string, v: Value): void {
  for (let x = s; x; x = x.parent)
    if (x.vars.has(name)) {
      x.vars.set(name, v);
      return;
    }
}

export interface RenderEnv {
  /** Named templates of the chart (`define` in every template and helper file). */
  defines: Map<string, TNode[]>;
  /** Budget of evaluation steps, shared by nested templates (runaway loops stop the render). */
  steps?: number;
}

const STRUCTURAL = new Set(['toYaml', 'toJson', 'toPrettyJson', 'nindent', 'indent']);
/** Functions whose result is one scalar whatever they were given (`toYaml ... | sha256sum` is a checksum). */
const SCALAR = new Set(['sha256sum', 'sha1sum', 'adler32sum', 'b64enc', 'quote', 'squote', 'len']);

/** Whether an unknown value a pipe writes may be YAML structure: its last function that decides the shape writes structure. */
function writesStructure(pipe: Pipe | undefined): boolean {
  for (const c of [...(pipe?.cmds ?? [])].reverse()) {
    const name = c.args[0]?.t === 'ident' ? c.args[0].name : undefined;
    if (name && SCALAR.has(name)) return false;
    if (name && STRUCTURAL.has(name)) return true;
  }
  return false;
}

export class Renderer {
  private steps: number;
  private depth = 0;
  /** The values entry most recently read (for an action's origin). */
  private lastOrigin: Origin | undefined;
  private conds: Array<Origin | undefined> = [];

  constructor(private readonly env: RenderEnv) {
    this.steps = env.steps ?? 400_000;
  }

  /** Renders nodes with `dot` as `.` and `$`, recording segments. */
  render(nodes: TNode[], dot: Value): Rendered {
    const out = new Out(true);
    this.nodes(nodes, dot, { vars: new Map([['$', dot]]) }, out);
    return { text: out.text, segments: out.segments, unknownAt: out.unknownAt, unknownSrc: out.unknownSrc };
  }

  private tick(): void {
    if (--this.steps < 0) throw new RenderError('the template runs too long');
  }

  private nodes(nodes: TNode[], dot: Value, scope: Scope, out: Out): void {
    for (const n of nodes) this.node(n, dot, scope, out);
  }

  private node(n: TNode, dot: Value, scope: Scope, out: Out): void {
    this.tick();
    switch (n.t) {
      case 'text':
        out.write(n.text, n.start, n.end, true, this.conds[this.conds.length - 1]);
        return;
      case 'action': {
        this.lastOrigin = undefined;
        const v = this.pipe(n.pipe, dot, scope);
        const origin = this.lastOrigin;
        if (n.pipe.decl.length) return;
        this.emit(v, n.pipe, n.start, n.end, out, origin, n.ownLine);
        return;
      }
      case 'if':
      case 'with': {
        for (const b of n.branches) {
          const inner: Scope = { vars: new Map(), parent: scope };
          this.lastOrigin = undefined;
          const v = this.pipe(b.pipe, dot, inner);
          const origin = this.lastOrigin;
          const t = truthy(v);
          if (t === UNKNOWN) return out.unknown(b.start);
          if (t) {
            this.conds.push(origin);
            try {
              this.nodes(b.body, n.t === 'with' ? v : dot, inner, out);
            } finally {
              this.conds.pop();
            }
            return;
          }
        }
        if (n.otherwise) this.nodes(n.otherwise, dot, scope, out);
        return;
      }
      case 'range': {
        const inner: Scope = { vars: new Map(), parent: scope };
        const declared = n.pipe.decl;
        const p: Pipe = { ...n.pipe, decl: [] };
        this.lastOrigin = undefined;
        const v = this.pipe(p, dot, inner);
        const origin = this.lastOrigin;
        if (v === UNKNOWN) return out.unknown(n.start);
        let entries: Array<[Value, Value]>;
        if (Array.isArray(v)) entries = v.map((x, i) => [i, x]);
        else if (isDict(v)) entries = Object.keys(v).sort().map((k) => [k, v[k]]);
        else if (typeof v === 'number') entries = Array.from({ length: Math.max(0, Math.min(v, 100000)) }, (_x, i) => [i, i]);
        else if (v === null || v === MISSING) entries = [];
        else return out.unknown(n.start);
        if (!entries.length) {
          if (n.otherwise) this.nodes(n.otherwise, dot, scope, out);
          return;
        }
        this.conds.push(origin);
        try {
          for (const [k, x] of entries) {
            const s: Scope = { vars: new Map(), parent: inner };
            if (declared.length === 1) s.vars.set(declared[0], x);
            else if (declared.length >= 2) {
              s.vars.set(declared[0], k);
              s.vars.set(declared[1], x);
            }
            try {
              this.nodes(n.body, x, s, out);
            } catch (e) {
              if (e instanceof Break) break;
              if (e instanceof Continue) continue;
              throw e;
            }
          }
        } finally {
          this.conds.pop();
        }
        return;
      }
      case 'template': {
        this.lastOrigin = undefined;
        const arg = n.pipe ? this.pipe(n.pipe, dot, scope) : null;
        const s = this.named(n.name, arg);
        this.emit(s, undefined, n.start, n.end, out, undefined, true);
        return;
      }
      case 'break':
        throw new Break();
      case 'continue':
        throw new Continue();
    }
  }

  /** Writes an action's value: text, an inline placeholder, or (a block of YAML) an unknown mark. */
  private emit(v: Value, pipe: Pipe | undefined, start: number, end: number, out: Out, origin: Origin | undefined, block = false): void {
    if (v === UNKNOWN || v === MISSING || (typeof v !== 'string' && hasUnknown(v))) {
      const lineStart = out.text.lastIndexOf('\n') + 1;
      const aloneOnLine = /^[ \t]*$/.test(out.text.slice(lineStart));
      const structural = block || aloneOnLine || writesStructure(pipe);
      if (structural) out.unknown(start);
      else out.write(PLACEHOLDER, start, end, false, origin);
      return;
    }
    out.write(typeof v === 'string' ? v : v === null ? '' : goString(v), start, end, false, origin);
  }

  /** Runs a named template to text (`include`, `template`); UNKNOWN when what it wrote is partly unknown. */
  named(name: string, arg: Value): Value {
    const body = this.env.defines.get(name);
    if (!body) return UNKNOWN;
    if (this.depth > 64) throw new RenderError(`the template "${name}" includes itself too deeply`);
    this.depth++;
    const savedConds = this.conds;
    const savedOrigin = this.lastOrigin;
    this.conds = [];
    try {
      const out = new Out(false);
      this.nodes(body, arg, { vars: new Map([['$', arg]]) }, out);
      if (out.unknownAt.length) return UNKNOWN;
      return out.text;
    } finally {
      this.conds = savedConds;
      this.lastOrigin = savedOrigin;
      this.depth--;
    }
  }

  /** `tpl "text" .`: the text parsed and run as a template. */
  private tpl(text: Value, arg: Value): Value {
    if (typeof text !== 'string') return UNKNOWN;
    let parsed;
    try {
      parsed = parseTemplate(text);
    } catch (e) {
      if (e instanceof TemplateSyntaxError) return UNKNOWN;
      throw e;
    }
    const defines = new Map(this.env.defines);
    for (const [k, v] of parsed.defines) defines.set(k, v);
    const saved = this.env.defines;
    this.env.defines = defines;
    this.depth++;
    try {
      const out = new Out(false);
      this.nodes(parsed.root, arg, { vars: new Map([['$', arg]]) }, out);
      return out.unknownAt.length ? UNKNOWN : out.text;
    } finally {
      this.env.defines = saved;
      this.depth--;
    }
  }

  private pipe(p: Pipe, dot: Value, scope: Scope): Value {
    let v: Value | undefined;
    for (const cmd of p.cmds) v = this.command(cmd.args, dot, scope, v);
    const result = v ?? null;
    if (p.decl.length) {
      for (const name of p.decl) {
        if (p.assign) assignVar(scope, name, result);
        else scope.vars.set(name, result);
      }
    }
    return result;
  }

  private field(container: Value, key: string): Value {
    if (container === UNKNOWN) return UNKNOWN;
    if (container === MISSING || container === null) return MISSING;
    if (!isDict(container)) return UNKNOWN;
    const o = originOf(container, key);
    if (o) this.lastOrigin = o;
    return Object.hasOwn(container, key) ? container[key] : MISSING;
  }

  private chain(v: Value, chain: string[]): Value {
    for (const k of chain) v = this.field(v, k);
    return v;
  }

  private command(args: Arg[], dot: Value, scope: Scope, piped: Value | undefined): Value {
    this.tick();
    const [head, ...rest] = args;
    const extra: Value[] = piped === undefined ? [] : [piped];
    if (head.t === 'ident') {
      const name = head.name;
      // Functions that need the evaluator or lazy arguments.
      if (name === 'include') {
        const [n, a]: Value[] = [...rest.map((x) => this.arg(x, dot, scope)), ...extra];
        return typeof n === 'string' ? this.named(n, a ?? null) : UNKNOWN;
      }
      if (name === 'tpl') {
        const [t, a]: Value[] = [...rest.map((x) => this.arg(x, dot, scope)), ...extra];
        return this.tpl(t, a ?? null);
      }
      if (name === 'required') {
        const [, v]: Value[] = [...rest.map((x) => this.arg(x, dot, scope)), ...extra];
        return v === undefined || v === null || v === '' || v === MISSING ? UNKNOWN : v;
      }
      if (name === 'fail') return UNKNOWN;
      if (name === 'and' || name === 'or') {
        // As Go, the value is the first falsy (and) or truthy (or) argument, else the last; an unknown one
        // before it makes the result unknown, unless a known argument decides it anyway.
        const all: Value[] = [...rest.map((x) => this.arg(x, dot, scope)), ...extra];
        let unknown = false;
        for (const x of all) {
          const t = truthy(x);
          if (t === UNKNOWN) unknown = true;
          else if (name === 'and' ? !t : t) return unknown ? (name === 'and' ? false : true) : x === MISSING ? null : x;
        }
        if (unknown) return UNKNOWN;
        const last = all[all.length - 1];
        return last === undefined || last === MISSING ? null : last;
      }
      if (OPAQUE.has(name)) return UNKNOWN;
      // Sprig's `must` variants (mustMerge, mustToJson...) return what the plain ones do, or fail.
      const fn = FUNCS[name] ?? (name.startsWith('must') ? FUNCS[name.charAt(4).toLowerCase() + name.slice(5)] : undefined);
      if (!fn) return UNKNOWN;
      let values = [...rest.map((x) => this.arg(x, dot, scope)), ...extra];
      if (NIL_OK.has(name)) values = values.map((x) => (x === MISSING ? null : x));
      else if (values.some((x) => x === MISSING)) return UNKNOWN;
      if (!LAZY.has(name) && values.some((x) => x === UNKNOWN)) return UNKNOWN;
      if (name === 'default' && values.length === 1) return values[0];
      try {
        const r = fn(...values);
        return r === undefined ? null : r;
      } catch {
        return UNKNOWN;
      }
    }
    // A field chain that ends in a method (.Capabilities.APIVersions.Has "x"), or a plain value.
    const v = this.arg(head, dot, scope);
    if (typeof v === 'function') {
      const values = [...rest.map((x) => this.arg(x, dot, scope)), ...extra];
      if (values.some((x) => x === UNKNOWN || x === MISSING)) return UNKNOWN;
      return v(...values);
    }
    return v;
  }

  private arg(a: Arg, dot: Value, scope: Scope): Value {
    switch (a.t) {
      case 'field':
        return this.chain(dot, a.chain);
      case 'var': {
        const v = lookupVar(scope, a.name);
        return v === undefined ? UNKNOWN : this.chain(v, a.chain);
      }
      case 'ident': {
        // A function used as an argument with no arguments of its own (`list`, `dict`, `now`).
        return this.command([a], dot, scope, undefined);
      }
      case 'string':
        return a.value;
      case 'number':
        return a.value;
      case 'bool':
        return a.value;
      case 'nil':
        return null;
      case 'pipe':
        return this.chain(this.pipe(a.pipe, dot, { vars: new Map(), parent: scope }), a.chain);
    }
  }
}

/** The built-in objects of a render: `.Values`, `.Release`, `.Chart`, `.Capabilities`, `.Template`, `.Files`. */
export function topLevel(values: Value, chart: Dict, templateName: string, basePath: string, readChartFile?: (name: string) => string | undefined): Dict {
  const chartObj: Dict = {};
  for (const [k, v] of Object.entries(chart)) chartObj[k.charAt(0).toUpperCase() + k.slice(1)] = v;
  return {
    Values: values,
    Chart: chartObj,
    Release: { Name: 'release-name', Namespace: 'default', Service: 'Helm', IsInstall: true, IsUpgrade: false, Revision: 1 },
    Capabilities: CAPABILITIES,
    Template: { Name: templateName, BasePath: basePath },
    Files: { Get: (name: Value) => (typeof name === 'string' && readChartFile ? (readChartFile(name) ?? '') : UNKNOWN), Glob: () => UNKNOWN, GetBytes: () => UNKNOWN, AsConfig: () => UNKNOWN, AsSecrets: () => UNKNOWN, Lines: () => UNKNOWN },
  };
}

// The API versions a current EKS cluster serves (custom resources are unknown, but OpenShift's never are
// served: charts that adapt themselves to OpenShift render as they would on EKS).
const BUILT_IN_APIS = new Set([
  'v1', 'apps/v1', 'batch/v1', 'policy/v1', 'autoscaling/v1', 'autoscaling/v2', 'networking.k8s.io/v1', 'rbac.authorization.k8s.io/v1',
  'storage.k8s.io/v1', 'apiextensions.k8s.io/v1', 'admissionregistration.k8s.io/v1', 'scheduling.k8s.io/v1', 'coordination.k8s.io/v1',
  'discovery.k8s.io/v1', 'node.k8s.io/v1', 'certificates.k8s.io/v1', 'events.k8s.io/v1', 'apiregistration.k8s.io/v1', 'flowcontrol.apiserver.k8s.io/v1',
]);
const REMOVED_APIS = new Set(['extensions/v1beta1', 'policy/v1beta1', 'batch/v1beta1', 'autoscaling/v2beta1', 'autoscaling/v2beta2', 'networking.k8s.io/v1beta1', 'rbac.authorization.k8s.io/v1beta1', 'storage.k8s.io/v1beta1', 'apiextensions.k8s.io/v1beta1', 'admissionregistration.k8s.io/v1beta1', 'scheduling.k8s.io/v1beta1']);

const CAPABILITIES: Dict = {
  KubeVersion: { Version: 'v1.31.0', Major: '1', Minor: '31', GitVersion: 'v1.31.0' },
  HelmVersion: { Version: 'v3.16.0' },
  APIVersions: {
    Has: (v: Value) => {
      if (typeof v !== 'string') return UNKNOWN;
      const group = v.split('/').length > 2 || /^[A-Z]/.test(v.split('/').pop() ?? '') ? v.slice(0, v.lastIndexOf('/')) : v;
      if (BUILT_IN_APIS.has(group)) return true;
      if (REMOVED_APIS.has(group) || /(^|\.)openshift\.io\//.test(group)) return false;
      return UNKNOWN;
    },
  },
};
