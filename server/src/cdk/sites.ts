// What the static matcher knows of an app's sources: the places that create constructs ("sites") and
// the scopes they are written in, the same for TypeScript/JavaScript (tsscan.ts) and Python (python.ts).

export type SiteKind =
  /** `new X(scope, 'Id', ...)` (TS/JS), `X(self, "Id", ...)` (Python: a class or a helper function). */
  | 'new'
  /** `helper(this, 'Id', ...)`: a function called with a scope and an id. */
  | 'call'
  /** `recv.addContainer('Id', ...)`, `recv.add_container("Id", ...)`: a method that creates a child. */
  | 'method';

export interface Site {
  kind: SiteKind;
  /** The class, function or method name as written (the last name of `ecs.FargateService`). */
  callee: string;
  /** The id, when a literal. */
  id?: string;
  /** The id as a pattern (a template literal, an f-string), when not a plain literal. */
  idPattern?: RegExp;
  /** The id is this parameter of the enclosing function or constructor. */
  idParam?: string;
  /** `cluster` in `cluster.addCapacity(...)`, `this.cluster` in `this.cluster.addCapacity(...)`. */
  receiver?: string;
  /** The variable or `this.` property the created construct is assigned to. */
  assignedTo?: string;
  /** The scope (key) the site is written in. */
  scope: string;
  /** Offsets in the file: from the expression's start to the end of its id argument. */
  start: number;
  end: number;
}

export interface Scope {
  /** `class:Name`, `function:name`, `top:<file>`. */
  key: string;
  kind: 'class' | 'function' | 'top';
  name: string;
  /** The base class as written (`Stack`, `Construct`, `MyBase`). */
  base?: string;
  /** The parameter names of a function (of a class: its constructor's). */
  params: string[];
  file: string;
}

export interface SourceFacts {
  file: string;
  scopes: Scope[];
  sites: Site[];
}

/** A template literal or f-string as a pattern: each substitution matches any run of characters. */
export function idPatternOf(parts: string[]): RegExp {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp('^' + parts.map(esc).join('.+') + '$');
}
