// CDK apps on disk: a folder with `cdk.json` (its `output`, default `cdk.out`) and the cloud assembly in it:
// `manifest.json` lists the artifacts; a stack's template file and its metadata (inline `metadata` or, in
// current CDK, an `additionalMetadataFile`); a Stage is a nested assembly (`cdk:cloud-assembly`,
// `directoryName`). Metadata entries, keyed by construct path (`/Stage/Stack/Construct/Resource`):
//   `aws:cdk:logicalId`     data = the logical id (older CDK: with `trace`, the creation stack, under CDK_DEBUG)
//   `aws:cdk:creationStack` data = the creation stack, recorded by default since 2.x late versions, unless the
//                           context `aws:cdk:disable-creation-stack-traces` is set; frames compacted by CDK.
// Nothing is run: only files are read.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface StackResource {
  logicalId: string;
  /** The construct path without the leading slash, as `aws:cdk:path` writes it. */
  path: string;
  /** The creation stack (frames as CDK wrote them), when recorded. */
  trace?: string[];
}

export interface AssemblyStack {
  /** Absolute path of the template. */
  template: string;
  displayName?: string;
  resources: Map<string, StackResource>;
}

export interface CdkApp {
  /** The folder with `cdk.json`. */
  dir: string;
  /** Absolute path of the cloud assembly folder. */
  out: string;
  /** The `app` command (tells the language: `python3 app.py`, `npx ts-node bin/app.ts`, `node bin/app.js`). */
  command?: string;
  /** Milliseconds: when the assembly was written (its root manifest). */
  synthesizedAt: number;
  /** Stacks by absolute template path. */
  stacks: Map<string, AssemblyStack>;
}

const SKIP = new Set(['node_modules', '.git', 'cdk.out', '.venv', 'venv', '__pycache__', '.tox', 'dist']);

/** Folders holding `cdk.json` under the given roots (not inside node_modules, .git or an assembly). */
export function findAppDirs(roots: readonly string[], maxDepth = 8): string[] {
  const out = new Set<string>();
  const walk = (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (entries.some((e) => e.isFile() && e.name === 'cdk.json')) out.add(path.resolve(dir));
    if (depth >= maxDepth) return;
    for (const e of entries) if (e.isDirectory() && !SKIP.has(e.name) && !e.name.startsWith('.')) walk(path.join(dir, e.name), depth + 1);
  };
  for (const r of roots) {
    const stat = fs.statSync(r, { throwIfNoEntry: false });
    if (stat?.isDirectory()) walk(r, 0);
    else if (stat?.isFile()) walk(path.dirname(r), maxDepth);
  }
  return [...out].sort();
}

/** The app folder (with `cdk.json`) above a file, if any. */
export function appDirAbove(file: string): string | undefined {
  let dir = path.dirname(path.resolve(file));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'cdk.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

const obj = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

/** Reads an app: `cdk.json` and its assembly. Undefined when there is no assembly (never synthesized). */
export function readApp(dir: string): CdkApp | undefined {
  const cdkJson = obj(readJson(path.join(dir, 'cdk.json'))) ?? {};
  const output = typeof cdkJson.output === 'string' ? cdkJson.output : 'cdk.out';
  const out = path.resolve(dir, output);
  const manifest = path.join(out, 'manifest.json');
  const stat = fs.statSync(manifest, { throwIfNoEntry: false });
  if (!stat) return undefined;
  const app: CdkApp = { dir: path.resolve(dir), out, command: typeof cdkJson.app === 'string' ? cdkJson.app : undefined, synthesizedAt: stat.mtimeMs, stacks: new Map() };
  readAssembly(out, app.stacks, 0);
  return app;
}

function readAssembly(dir: string, stacks: Map<string, AssemblyStack>, depth: number): void {
  const manifest = obj(readJson(path.join(dir, 'manifest.json')));
  const artifacts = obj(manifest?.artifacts);
  if (!artifacts || depth > 8) return;
  const here: AssemblyStack[] = [];
  for (const a of Object.values(artifacts)) {
    const art = obj(a);
    const props = obj(art?.properties);
    if (!art || !props) continue;
    if (art.type === 'cdk:cloud-assembly' && typeof props.directoryName === 'string') {
      readAssembly(path.resolve(dir, props.directoryName), stacks, depth + 1);
    } else if (art.type === 'aws:cloudformation:stack' && typeof props.templateFile === 'string') {
      const template = path.resolve(dir, props.templateFile);
      const stack: AssemblyStack = { template, displayName: typeof art.displayName === 'string' ? art.displayName : undefined, resources: new Map() };
      addMetadata(stack, obj(art.metadata));
      if (typeof art.additionalMetadataFile === 'string') addMetadata(stack, obj(readJson(path.resolve(dir, art.additionalMetadataFile))));
      stacks.set(template, stack);
      here.push(stack);
    }
  }
  // Nested stacks' templates are assets of their parent (`*.nested.template.json`, not artifacts); the
  // parent's metadata holds their resources (logical ids carry a hash of the path, so they do not collide).
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.nested.template.json'));
  } catch {
    // none
  }
  if (names.length) {
    const resources = new Map<string, StackResource>();
    for (const st of here) for (const [id, r] of st.resources) resources.set(id, r);
    for (const n of names) {
      const template = path.join(dir, n);
      if (!stacks.has(template)) stacks.set(template, { template, resources });
    }
  }
}

function addMetadata(stack: AssemblyStack, metadata: Record<string, unknown> | undefined): void {
  if (!metadata) return;
  // A path's creation stack, for the resource whose logical id the same path names.
  for (const [key, entries] of Object.entries(metadata)) {
    if (!Array.isArray(entries)) continue;
    let logicalId: string | undefined;
    let trace: string[] | undefined;
    for (const e of entries) {
      const entry = obj(e);
      if (!entry) continue;
      if (entry.type === 'aws:cdk:logicalId' && typeof entry.data === 'string') {
        logicalId = entry.data;
        if (!trace && isFrames(entry.trace)) trace = entry.trace;
      } else if (entry.type === 'aws:cdk:creationStack' && isFrames(entry.data)) trace = entry.data;
    }
    if (logicalId === undefined) continue;
    const p = key.replace(/^\//, '');
    stack.resources.set(logicalId, { logicalId, path: p, ...(trace ? { trace } : {}) });
  }
}

function isFrames(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}
