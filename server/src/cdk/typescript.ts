// TypeScript and JavaScript sources of a CDK app, read with the TypeScript compiler's parser.
//
// The compiler is large (about 3 MB minified): it is not bundled into the server or the CLI but shipped
// beside them as `dist/typescript.js` and loaded on first use, that is only when a CDK app with TS/JS
// sources is present. Only the parser is used (no program, no type checking).
import * as path from 'node:path';
import type * as TS from 'typescript';
import { idPatternOf, type Scope, type Site, type SourceFacts } from './sites';

let loaded: typeof TS | null | undefined;

/** The TypeScript module, or undefined when it cannot be loaded. */
export function typescript(): typeof TS | undefined {
  if (loaded === undefined) {
    loaded = null;
    const candidates = [process.env.KB_HINTS_TYPESCRIPT, path.join(__dirname, 'typescript.js'), 'typescript'].filter((c): c is string => !!c);
    for (const c of candidates) {
      try {
        const mod = nodeRequire(c) as typeof TS;
        if (typeof mod?.createSourceFile !== 'function') continue;
        loaded = mod;
        break;
      } catch {
        // next
      }
    }
  }
  return loaded ?? undefined;
}

/** `require` that the bundler leaves alone (the module is loaded at run time, not bundled). */
function nodeRequire(id: string): unknown {
  return require(id);
}

export function parseTsFacts(file: string, text: string): SourceFacts | undefined {
  const ts = typescript();
  if (!ts) return undefined;
  const kind = /\.tsx$/.test(file) ? ts.ScriptKind.TSX : /\.[cm]?ts$/.test(file) ? ts.ScriptKind.TS : /\.jsx$/.test(file) ? ts.ScriptKind.JSX : ts.ScriptKind.JS;
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const scopes: Scope[] = [];
  const sites: Site[] = [];
  const top: Scope = { key: `top:${file}`, kind: 'top', name: path.basename(file), params: [], file };
  scopes.push(top);

  const lastName = (e: TS.Expression): string | undefined => {
    if (ts.isIdentifier(e)) return e.text;
    if (ts.isPropertyAccessExpression(e)) return e.name.text;
    if (ts.isParenthesizedExpression(e)) return lastName(e.expression);
    return undefined;
  };
  const paramNames = (ps: readonly TS.ParameterDeclaration[]) => ps.map((p) => (ts.isIdentifier(p.name) ? p.name.text : '')).filter(Boolean);
  // `const API_ID = 'Api'` anywhere in the file: an id written through a constant is that literal.
  const consts = new Map<string, string>();
  const collect = (n: TS.Node) => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && (ts.isStringLiteral(n.initializer) || ts.isNoSubstitutionTemplateLiteral(n.initializer)) && ts.isVariableDeclarationList(n.parent) && n.parent.flags & ts.NodeFlags.Const) {
      consts.set(n.name.text, n.initializer.text);
    }
    ts.forEachChild(n, collect);
  };
  collect(sf);
  let scopeParams: readonly string[] = [];
  const idOf = (a: TS.Expression | undefined): Pick<Site, 'id' | 'idPattern' | 'idParam'> | undefined => {
    if (!a) return undefined;
    if (ts.isStringLiteral(a) || ts.isNoSubstitutionTemplateLiteral(a)) return { id: a.text };
    if (ts.isTemplateExpression(a)) return { idPattern: idPatternOf([a.head.text, ...a.templateSpans.map((s) => s.literal.text)]) };
    if (ts.isIdentifier(a)) return consts.has(a.text) && !scopeParams.includes(a.text) ? { id: consts.get(a.text)! } : { idParam: a.text };
    return undefined;
  };
  const assignedTo = (n: TS.Node): string | undefined => {
    let p = n.parent;
    while (p && (ts.isAsExpression(p) || ts.isParenthesizedExpression(p) || ts.isNonNullExpression(p))) p = p.parent;
    if (!p) return undefined;
    if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
    if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) return p.left.getText(sf);
    if (ts.isPropertyDeclaration(p) && ts.isIdentifier(p.name)) return `this.${p.name.text}`;
    return undefined;
  };
  const isScopeArg = (a: TS.Expression | undefined) => !!a && (a.kind === ts.SyntaxKind.ThisKeyword || ts.isIdentifier(a) || ts.isPropertyAccessExpression(a));

  const visit = (node: TS.Node, scope: Scope) => {
    scopeParams = scope.params;
    let inner = scope;
    if ((ts.isClassDeclaration(node) || ts.isClassExpression(node)) && (node.name || ts.isVariableDeclaration(node.parent))) {
      const name = node.name?.text ?? ((node.parent as TS.VariableDeclaration).name as TS.Identifier).text;
      const ext = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
      const ctor = node.members.find(ts.isConstructorDeclaration);
      inner = { key: `class:${name}`, kind: 'class', name, base: ext && lastName(ext), params: ctor ? paramNames(ctor.parameters) : [], file };
      scopes.push(inner);
    } else if (ts.isFunctionDeclaration(node) && node.name) {
      inner = { key: `function:${node.name.text}`, kind: 'function', name: node.name.text, params: paramNames(node.parameters), file };
      scopes.push(inner);
    } else if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name) && scope.kind === 'top') {
      const name = node.parent.name.text;
      inner = { key: `function:${name}`, kind: 'function', name, params: paramNames(node.parameters), file };
      scopes.push(inner);
    } else if (ts.isNewExpression(node)) {
      const callee = lastName(node.expression);
      const args = node.arguments ?? [];
      const id = idOf(args[1]);
      if (callee && id && isScopeArg(args[0])) sites.push({ kind: 'new', callee, ...id, assignedTo: assignedTo(node), scope: scope.key, start: node.getStart(sf), end: args[1].end });
    } else if (ts.isCallExpression(node) && node.expression.kind !== ts.SyntaxKind.SuperKeyword) {
      const callee = lastName(node.expression);
      const args = node.arguments;
      if (callee) {
        const first = idOf(args[0]);
        const second = idOf(args[1]);
        if (ts.isPropertyAccessExpression(node.expression) && /^add[A-Z]/.test(callee) && first && first.idParam === undefined) {
          sites.push({ kind: 'method', callee, ...first, receiver: node.expression.expression.getText(sf), assignedTo: assignedTo(node), scope: scope.key, start: node.getStart(sf), end: args[0].end });
        } else if (second && isScopeArg(args[0])) {
          sites.push({ kind: 'call', callee, ...second, assignedTo: assignedTo(node), scope: scope.key, start: node.getStart(sf), end: args[1].end });
        }
      }
    }
    ts.forEachChild(node, (c) => visit(c, inner));
  };
  ts.forEachChild(sf, (c) => visit(c, top));
  return { file, scopes, sites };
}

/**
 * The construct-creating expression at a position (a trace's line and column), as the range to show:
 * from its start to the end of its id argument. Undefined when there is none there.
 */
export function siteAt(facts: SourceFacts | undefined, offset: number): { start: number; end: number } | undefined {
  if (!facts) return undefined;
  // The trace column points at `new` (a constructor) or at the called name (a method call).
  let best: Site | undefined;
  for (const s of facts.sites) {
    if (s.start <= offset && offset < s.end && (!best || s.start >= best.start)) best = s;
  }
  return best && { start: best.start, end: best.end };
}
