// Images that CI builds push: CodeBuild build specs (`buildspec.yml`) and GitHub Actions workflows. KB Hints
// does not lint these files, but what they push decides whether an ECR repository can make its tags
// immutable: a build that pushes `latest` on every run is rejected by plain IMMUTABLE (rules/ecr.ts). Read
// from their shell commands (and docker/build-push-action steps), with the variables they set put in.
import { LineIndex } from '../documents/lines';
import { entries, get, items, str, type Node } from '../documents/nodes';
import { parseText, type ParsedFile } from '../documents/parse';

/** A build spec has a top-level `version: 0.2` (or 0.1) and `phases`. */
const VERSION = /^version:[ \t]*["']?0\.[12]["']?[ \t]*(#.*)?\r?$/m;
const PHASES = /^phases:/m;

/** True when a file's text is a CodeBuild build spec. */
export function isBuildSpec(text: string): boolean {
  return VERSION.test(text) && PHASES.test(text);
}

/** A GitHub Actions workflow: a YAML file under `.github/workflows/` with `jobs`. */
export function isWorkflow(uri: string, text: string): boolean {
  return /(^|[\\/])\.github[\\/]workflows[\\/][^\\/]+\.ya?ml$/i.test(uri) && /^jobs:/m.test(text);
}

export interface ImagePush {
  /** The image reference pushed, with the spec's own variables put in (others left as `$NAME`). */
  ref: string;
  /** The command that pushes it. */
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

/** An assignment command: `NAME=value` or `export NAME=value`. */
const ASSIGNMENT = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;
/** A variable reference: `$NAME` or `${NAME}` (not `${NAME:-default}`, which stays as written). */
const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
/** Options of `docker push` that take a value. */
const PUSH_VALUE_OPTIONS = new Set(['--platform']);

/** Puts known variables into a shell word (unknown ones stay as written). */
export function withVariables(text: string, vars: ReadonlyMap<string, string>): string {
  return text.replace(VARIABLE, (whole, braced?: string, bare?: string) => vars.get((braced ?? bare)!) ?? whole);
}

/** A command line's words, quotes removed (enough for docker commands; no expansion of `$(...)`). */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

/** The value of a tag option (`-t x`, `--tag x`, `--tag=x`) at position i, and how many words it took. */
function tagOption(w: string[], i: number): [string | undefined, number] {
  if (w[i] === '-t' || w[i] === '--tag') return [w[i + 1], 2];
  if (w[i].startsWith('--tag=')) return [w[i].slice(6), 1];
  return [undefined, 1];
}

/** The references a docker command pushes, and the local tags it creates (`docker build -t`, `docker tag`). */
function dockerCommand(w: string[]): { pushes: string[]; allTags: string[]; tags: string[] } {
  const out = { pushes: [] as string[], allTags: [] as string[], tags: [] as string[] };
  if (w[0] !== 'docker') return out;
  const sub = w[1] === 'image' || w[1] === 'buildx' ? `${w[1]} ${w[2]}` : w[1];
  const args = w.slice(sub.includes(' ') ? 3 : 2);
  if (sub === 'push' || sub === 'image push') {
    let all = false;
    for (let i = 0; i < args.length; i++) {
      if (args[i] === '-a' || args[i] === '--all-tags') all = true;
      else if (PUSH_VALUE_OPTIONS.has(args[i])) i++;
      else if (!args[i].startsWith('-')) (all ? out.allTags : out.pushes).push(args[i]);
    }
  } else if (sub === 'build' || sub === 'image build' || sub === 'buildx build') {
    const push = args.includes('--push');
    for (let i = 0; i < args.length; ) {
      const [tag, took] = tagOption(args, i);
      if (tag) (push ? out.pushes : out.tags).push(tag);
      i += took;
    }
  } else if (sub === 'tag' || sub === 'image tag') {
    const dest = args.filter((a) => !a.startsWith('-'))[1];
    if (dest) out.tags.push(dest);
  }
  return out;
}

/** The repository part of a reference (without tag or digest). */
function repositoryOf(ref: string): string {
  const at = ref.indexOf('@');
  const rest = at === -1 ? ref : ref.slice(0, at);
  const colon = rest.lastIndexOf(':');
  return colon > rest.lastIndexOf('/') ? rest.slice(0, colon) : rest;
}

/**
 * Reads pushes from shell commands in order: `docker push` (and `docker image push`), `docker buildx build
 * --push` with its tags, and `docker push --all-tags` of a repository (the local tags made by `docker build
 * -t` and `docker tag` before it). Assignments among the commands set variables for the ones after them.
 */
class PushReader {
  readonly pushes: ImagePush[] = [];
  private readonly localTags: string[] = [];

  constructor(
    private readonly lines: LineIndex,
    readonly vars: Map<string, string>,
  ) {}

  /** One command node (a script of one or more lines), or the text it stands for. */
  command(node: Node, text = str(node)): void {
    if (text === undefined) return;
    for (const line of text.split(/\r?\n|&&|;/)) {
      const trimmed = line.trim();
      const assignment = ASSIGNMENT.exec(trimmed);
      if (assignment) {
        const value = words(assignment[2])[0] ?? '';
        // A value computed by a command (`$(...)`, backquotes) is not known.
        if (/[`(]/.test(value.replace(/\$\{\{[^}]*\}\}/g, ''))) this.vars.delete(assignment[1]);
        else this.vars.set(assignment[1], withVariables(value, this.vars));
        continue;
      }
      const { pushes, allTags, tags } = dockerCommand(words(trimmed).map((w) => withVariables(w, this.vars)));
      this.localTags.push(...tags);
      this.add([...pushes, ...allTags.flatMap((repo) => this.localTags.filter((t) => repositoryOf(t) === repositoryOf(repo)))], node);
    }
  }

  add(refs: readonly string[], node: Node): void {
    const range = { start: this.lines.position(node.start), end: this.lines.position(node.end) };
    for (const ref of refs) this.pushes.push({ ref, range });
  }
}

/** A file's YAML tree (a skipped file is parsed again: kinds drop the tree of files they do not lint). */
function treeOf(file: ParsedFile): ParsedFile {
  return file.docs.length ? file : parseText(file.text, file.uri, {}, () => true);
}

/** Literal string values of a map (`env:` blocks), put into `vars`. */
function setVariables(vars: Map<string, string>, map: Node | undefined, resolve: (value: string) => string = (v) => v): void {
  for (const p of entries(map)) {
    const name = str(p.key);
    const value = str(p.value);
    if (name && value !== undefined) vars.set(name, resolve(value));
  }
}

/** What a build spec pushes, in command order; variables come from `env.variables` and the commands. */
export function buildSpecPushes(file: ParsedFile): ImagePush[] {
  const parsed = treeOf(file);
  const root = parsed.docs[0]?.root;
  const reader = new PushReader(parsed.lines, new Map());
  setVariables(reader.vars, get(get(root, 'env'), 'variables'));
  const commands = (node: Node | undefined) => items(get(node, 'commands'));
  for (const phase of entries(get(root, 'phases'))) {
    for (const command of [...commands(phase.value), ...commands(get(phase.value, 'finally'))]) reader.command(command);
  }
  return reader.pushes;
}

/** What a shell script pushes (EC2 user data), with the variables it sets put in. */
export function scriptPushes(text: string): string[] {
  const reader = new PushReader(new LineIndex(text), new Map());
  reader.command({ kind: 'scalar', value: text, start: 0, end: text.length }, text);
  return reader.pushes.map((p) => p.ref);
}

/** What a build spec written out as text pushes (a CodeBuild project's inline `BuildSpec`). */
export function buildSpecTextPushes(text: string, uri: string): string[] {
  return buildSpecPushes(parseText(text, uri, {}, () => true)).map((p) => p.ref);
}

/** The registry that `aws-actions/amazon-ecr-login` logs in to, as its output stands for it in references. */
const ECR_REGISTRY = '<account>.dkr.ecr.<region>.amazonaws.com';
const EXPRESSION = /\$\{\{\s*([^}]*?)\s*\}\}/g;

/**
 * What a GitHub Actions workflow pushes, job by job: `run` scripts, and `docker/build-push-action` steps
 * with `push: true`. Variables come from the workflow's, the job's and the step's `env` (`${{ env.X }}` and
 * `$X`); the registry output of an `aws-actions/amazon-ecr-login` step is a private ECR registry.
 */
export function workflowPushes(file: ParsedFile): ImagePush[] {
  const parsed = treeOf(file);
  const root = parsed.docs[0]?.root;
  const out: ImagePush[] = [];
  for (const job of entries(get(root, 'jobs'))) {
    const logins = new Set(items(get(job.value, 'steps')).filter((s) => /^aws-actions\/amazon-ecr-login@/.test(str(get(s, 'uses')) ?? '')).map((s) => str(get(s, 'id'))));
    const reader = new PushReader(parsed.lines, new Map());
    const expressions = (text: string) =>
      text.replace(EXPRESSION, (whole, expr: string) => {
        const env = /^env\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(expr);
        if (env) return reader.vars.get(env[1]) ?? whole;
        const login = /^steps\.([\w-]+)\.outputs\.registry$/.exec(expr);
        return login && logins.has(login[1]) ? ECR_REGISTRY : whole;
      });
    setVariables(reader.vars, get(root, 'env'), expressions);
    setVariables(reader.vars, get(job.value, 'env'), expressions);
    const jobVars = new Map(reader.vars);
    for (const step of items(get(job.value, 'steps'))) {
      reader.vars.clear();
      for (const [k, v] of jobVars) reader.vars.set(k, v);
      setVariables(reader.vars, get(step, 'env'), expressions);
      const run = get(step, 'run');
      const script = str(run);
      if (run && script !== undefined) reader.command(run, expressions(script));
      const uses = str(get(step, 'uses')) ?? '';
      const w = get(step, 'with');
      if (/^docker\/build-push-action@/.test(uses) && /^true$/i.test(String(str(get(w, 'push')) ?? ''))) {
        const tags = expressions(str(get(w, 'tags')) ?? '').split(/[\n,]/).map((t) => withVariables(t.trim(), reader.vars)).filter(Boolean);
        reader.add(tags, get(w, 'tags') ?? step);
      }
    }
    out.push(...reader.pushes);
  }
  return out;
}

/**
 * The tag a pushed reference writes: `latest` when it says so or has none, undefined when a variable the
 * spec does not set decides it (`$REPO:$TAG`, or the whole reference), another tag otherwise.
 */
export function pushedTag(ref: string): string | undefined {
  const last = ref.slice(ref.lastIndexOf('/') + 1);
  if (last.includes('@')) return '@digest';
  if (/^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/.test(last)) return undefined;
  const colon = last.lastIndexOf(':');
  const tag = colon === -1 ? 'latest' : last.slice(colon + 1);
  return tag.includes('$') ? undefined : tag;
}
