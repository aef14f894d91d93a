// @ts-check
// The test oracle of server/src/cdk/tsscan.ts: the same facts read from the TypeScript compiler's syntax
// tree (the compiler is a dev dependency, never shipped). This was the extension's reader before tsscan.ts.
const path = require('node:path');
const ts = require('typescript');

/** @typedef {import('../../server/src/cdk/sites').Site} Site */
/** @typedef {import('../../server/src/cdk/sites').Scope} Scope */
/** @typedef {import('../../server/src/cdk/sites').SourceFacts} SourceFacts */

/** @param {string[]} parts */
function idPatternOf(parts) {
  const esc = (/** @type {string} */ s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp('^' + parts.map(esc).join('.+') + '$');
}

/**
 * @param {string} file
 * @param {string} text
 * @returns {SourceFacts}
 */
function oracleTsFacts(file, text) {
  const kind = /\.tsx$/.test(file) ? ts.ScriptKind.TSX : /\.[cm]?ts$/.test(file) ? ts.ScriptKind.TS : /\.jsx$/.test(file) ? ts.ScriptKind.JSX : ts.ScriptKind.JS;
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  /** @type {Scope[]} */
  const scopes = [];
  /** @type {Site[]} */
  const sites = [];
  /** @type {Scope} */
  const top = { key: `top:${file}`, kind: 'top', name: path.basename(file), params: [], file };
  scopes.push(top);

  /** @type {(e: ts.Expression) => string | undefined} */
  const lastName = (e) => {
    if (ts.isIdentifier(e)) return e.text;
    if (ts.isPropertyAccessExpression(e)) return e.name.text;
    if (ts.isParenthesizedExpression(e)) return lastName(e.expression);
    return undefined;
  };
  const paramNames = (/** @type {readonly ts.ParameterDeclaration[]} */ ps) => ps.map((p) => (ts.isIdentifier(p.name) ? p.name.text : '')).filter(Boolean);
  /** @type {Map<string, string>} */
  const consts = new Map();
  /** @type {(n: ts.Node) => void} */
  const collect = (n) => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && (ts.isStringLiteral(n.initializer) || ts.isNoSubstitutionTemplateLiteral(n.initializer)) && ts.isVariableDeclarationList(n.parent) && n.parent.flags & ts.NodeFlags.Const) {
      consts.set(n.name.text, n.initializer.text);
    }
    ts.forEachChild(n, collect);
  };
  collect(sf);
  /** @type {readonly string[]} */
  let scopeParams = [];
  /** @type {(a: ts.Expression | undefined) => Pick<Site, 'id' | 'idPattern' | 'idParam'> | undefined} */
  const idOf = (a) => {
    if (!a) return undefined;
    if (ts.isStringLiteral(a) || ts.isNoSubstitutionTemplateLiteral(a)) return { id: a.text };
    if (ts.isTemplateExpression(a)) return { idPattern: idPatternOf([a.head.text, ...a.templateSpans.map((s) => s.literal.text)]) };
    if (ts.isIdentifier(a)) {
      const c = consts.get(a.text);
      return c !== undefined && !scopeParams.includes(a.text) ? { id: c } : { idParam: a.text };
    }
    return concatenated(a);
  };
  /** `'Service' + id`: strings and names (or property chains) joined with `+`; a name stands for any text. */
  /** @type {(a: ts.Expression) => Pick<Site, 'idPattern'> | undefined} */
  const concatenated = (a) => {
    /** @type {ts.Expression[]} */
    const operands = [];
    /** @type {(e: ts.Expression) => boolean} */
    const flatten = (e) => {
      if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) return flatten(e.left) && flatten(e.right);
      operands.push(e);
      return true;
    };
    if (!ts.isBinaryExpression(a) || !flatten(a)) return undefined;
    const parts = [''];
    let literal = false;
    /** @type {(e: ts.Expression) => boolean} */
    const chain = (e) => ts.isIdentifier(e) || ((ts.isPropertyAccessExpression(e)) && !ts.isPrivateIdentifier(e.name) && chain(e.expression));
    for (const o of operands) {
      if (ts.isStringLiteral(o)) {
        parts[parts.length - 1] += o.text;
        literal = true;
      } else if (chain(o) && !(ts.isPropertyAccessExpression(o) && o.questionDotToken)) {
        const c = ts.isIdentifier(o) && !scopeParams.includes(o.text) ? consts.get(o.text) : undefined;
        if (c !== undefined) parts[parts.length - 1] += c;
        else parts.push('');
      } else return undefined;
    }
    return literal && parts.length > 1 ? { idPattern: idPatternOf(parts) } : undefined;
  };
  /** @type {(n: ts.Node) => string | undefined} */
  const assignedTo = (n) => {
    let p = n.parent;
    while (p && (ts.isAsExpression(p) || ts.isParenthesizedExpression(p) || ts.isNonNullExpression(p))) p = p.parent;
    if (!p) return undefined;
    if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
    if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) return p.left.getText(sf);
    if (ts.isPropertyDeclaration(p) && ts.isIdentifier(p.name)) return `this.${p.name.text}`;
    return undefined;
  };
  const isScopeArg = (/** @type {ts.Expression | undefined} */ a) => !!a && (a.kind === ts.SyntaxKind.ThisKeyword || ts.isIdentifier(a) || ts.isPropertyAccessExpression(a));

  /** @type {(node: ts.Node, scope: Scope) => void} */
  const visit = (node, scope) => {
    scopeParams = scope.params;
    let inner = scope;
    if ((ts.isClassDeclaration(node) || ts.isClassExpression(node)) && (node.name || ts.isVariableDeclaration(node.parent))) {
      const name = node.name?.text ?? /** @type {ts.Identifier} */ (/** @type {ts.VariableDeclaration} */ (node.parent).name).text;
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
      const args = node.arguments ?? ts.factory.createNodeArray();
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

module.exports = { oracleTsFacts };
