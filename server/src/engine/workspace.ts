// Facts gathered across files, for rules that follow a reference out of the file being linted.
import type { ParsedFile } from '../documents/parse';
import { str, get } from '../documents/nodes';
import { modelOf, skippedWithFacts, type FileModel } from '../kinds';
import type { Environment } from './environment';
import { combineFacts, detectFacts, type EnvironmentFacts } from './environment-detect';
export { folderOf, shortName } from './image-facts';
import { imagePushFacts, folderOf, imageName, shortName, imageRewriteFacts, movingTagFacts, type ImageRewrite, type MovingTagUse } from './image-facts';
import { emptyLookups, lookupsTouch, stackFacts, type StackFacts, type StackIndex, type StackLookups } from './stacks';

export interface StorageClassInfo {
  name: string;
  provisioner: string;
  uri: string;
  isDefault: boolean;
}

/** What an index holds, as plain data: the parallel CLI sends it between threads. */
export type WorkspaceSnapshot = Array<[uri: string, storageClasses: StorageClassInfo[], environment?: EnvironmentFacts | null, stack?: StackFacts | null, movingTags?: MovingTagUse[] | null, imageRewrites?: ImageRewrite[]]>;

interface FileFacts {
  classes: StorageClassInfo[];
  environment?: EnvironmentFacts;
  /** What a CloudFormation template hands to other stacks or takes from them (outputs, exports, nested stacks, imports). */
  stack?: StackFacts;
  /** The moving tags of private ECR repositories its task definitions and workloads run. */
  movingTags?: MovingTagUse[];
  /** The image names its Skaffold configs or kustomizations replace in the manifests of its folder. */
  imageRewrites?: ImageRewrite[];
}

/** What one update changed of a file's facts: what readers of the index may have to read again. */
export interface FactsChange {
  uri: string;
  /** Names of StorageClasses added, removed or changed. */
  classes: string[];
  /** The file's default StorageClasses changed. */
  defaults: boolean;
  environment: boolean;
  /** The template's cross-stack facts before and after, when they changed (one side when it came or went). */
  stacks: StackFacts[];
  /** Names of ECR repositories whose moving-tag uses in the file changed. */
  movingTags: string[];
  /** Image names whose rewrites by the file (a Skaffold config, a kustomization) changed. */
  imageRewrites: string[];
}

/**
 * What one lint read of the index (see `WorkspaceIndex.recording`): the StorageClass names looked up, whether
 * it asked for the default classes or the detected environment, and what its stack queries looked up.
 */
export class WorkspaceReads {
  readonly classes = new Set<string>();
  defaults = false;
  environment = false;
  readonly stacks: StackLookups = emptyLookups();
  /** ECR repository names whose moving-tag uses it looked up. */
  readonly movingTags = new Set<string>();
  /** Image names it asked whether a build or deploy tool rewrites. */
  readonly imageRewrites = new Set<string>();

  /** True when the lint could read differently after this change (of another file). */
  affectedBy(change: FactsChange): boolean {
    return (
      change.classes.some((name) => this.classes.has(name)) ||
      (change.defaults && this.defaults) ||
      (change.environment && this.environment) ||
      change.stacks.some((facts) => lookupsTouch(this.stacks, facts)) ||
      change.movingTags.some((name) => this.movingTags.has(name)) ||
      change.imageRewrites.some((name) => this.imageRewrites.has(name))
    );
  }
}

/** True for a file KB Hints does not lint that still holds workspace facts: a CodeBuild build spec, a GitHub Actions workflow. */
export function holdsFactsUnlinted(file: ParsedFile): boolean {
  return !file.kind && skippedWithFacts(file.skipped);
}

/**
 * The folders a file sits in, outermost first, from its uri (`file:///c%3A/repo/azure/sc.yaml`, decoded)
 * or its path as given (`azure\sc.yaml`, `/repo/azure/sc.yaml`): no scheme, host, drive or file name.
 */
export function folderNames(uri: string): string[] {
  let rest = uri;
  const scheme = /^[a-z][a-z0-9+.-]+:/i.exec(uri);
  const isUri = !!scheme && !/^[a-z]:[\\/]/i.test(uri);
  if (isUri) {
    rest = uri.slice(scheme[0].length).replace(/[?#].*$/, '');
    // `//host/path`: the authority is no folder.
    if (rest.startsWith('//')) {
      const slash = rest.indexOf('/', 2);
      rest = slash < 0 ? '' : rest.slice(slash);
    }
  }
  const decode = (s: string) => {
    try {
      return isUri ? decodeURIComponent(s) : s;
    } catch {
      return s;
    }
  };
  return rest
    .split(/[\\/]/)
    .slice(0, -1)
    .map(decode)
    .filter((s) => s && s !== '.' && s !== '..' && !/^[a-z]:$/i.test(s));
}

/**
 * StorageClasses by name, and what the files show of the environment (Auto Mode clusters, the Load
 * Balancer Controller, Fargate profiles, registry scanning), from every file the caller has seen (CLI:
 * all files; server: workspace).
 */
export class WorkspaceIndex implements StackIndex {
  private readonly byUri = new Map<string, FileFacts>();
  /** The detected environment by the folder of the file it is for (`'\0'`: the whole workspace). */
  private detected: Map<string, Environment> | undefined;
  /** StorageClasses by name and the default ones, rebuilt on first use after a change (claims ask per claim). */
  private byName: Map<string, StorageClassInfo[]> | undefined;
  private defaults: StorageClassInfo[] | undefined;
  /** Where reads are recorded, during `recording`. */
  private reads: WorkspaceReads | undefined;

  /** `onChange`: told each time a file's facts change (the server re-lints the documents that read them). */
  constructor(private readonly onChange?: (change: FactsChange) => void) {}

  /** Runs `fn` (a lint), recording in `reads` what it reads of the index. */
  recording<T>(reads: WorkspaceReads, fn: () => T): T {
    const outer = this.reads;
    this.reads = reads;
    try {
      return fn();
    } finally {
      this.reads = outer;
    }
  }

  /** Stack queries record their look-ups here while a lint is recorded. */
  get lookups(): StackLookups | undefined {
    return this.reads?.stacks;
  }

  private changed(): void {
    this.byName = undefined;
    this.defaults = undefined;
  }

  /** Learns (or forgets) what a file holds; pass its model when it was already built. */
  update(file: ParsedFile, model: FileModel = modelOf(file)): void {
    const classes: StorageClassInfo[] = [];
    for (const obj of model.objects) {
      if (obj.kind !== 'StorageClass' || !obj.name) continue;
      const provisioner = str(get(obj.node, 'provisioner'));
      if (!provisioner) continue;
      const ann = get(get(obj.node, 'metadata'), 'annotations');
      // The beta annotation is still honoured by the DefaultStorageClass admission plugin.
      const isDefault = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'].some((k) => str(get(ann, k)) === 'true');
      classes.push({ name: obj.name, provisioner, uri: file.uri, isDefault });
    }
    const environment = detectFacts(model, shortName(file.uri));
    const known = Object.keys(environment).length ? environment : undefined;
    // Only templates that hand something over or may receive something from other stacks matter.
    const facts = model.template && stackFacts(model.template);
    const stack = facts && (facts.outputs.length || facts.nested.length || facts.imports.length || model.template!.parameters.size) ? facts : undefined;
    // A CI file is not linted (it has no kind), but what it pushes is a fact.
    const movingTags = holdsFactsUnlinted(file) ? imagePushFacts(file, shortName(file.uri)) : movingTagFacts(file, model, shortName(file.uri));
    const imageRewrites = imageRewriteFacts(file, model);
    const kept = classes.length || known || stack || movingTags.length || imageRewrites.length;
    this.replace(
      file.uri,
      kept ? { classes, environment: known, ...(stack ? { stack } : {}), ...(movingTags.length ? { movingTags } : {}), ...(imageRewrites.length ? { imageRewrites } : {}) } : undefined,
    );
  }

  remove(uri: string): void {
    this.replace(uri, undefined);
  }

  /**
   * Keeps a file's new facts, when they differ from what was known (unchanged facts keep their objects, and
   * the caches built over them stay). Kept as copies: the strings read from a file may hold on to its text.
   */
  private replace(uri: string, next: FileFacts | undefined): void {
    const before = this.byUri.get(uri);
    // Copied before anything keeps them (a change a listener holds on to included).
    const copy = next && (JSON.parse(JSON.stringify(next)) as FileFacts);
    const change = diffFacts(uri, before, copy);
    if (!change) return;
    if (copy) this.byUri.set(uri, copy);
    else this.byUri.delete(uri);
    if (change.environment) this.detected = undefined;
    this.changed();
    this.onChange?.(change);
  }

  /** Everything this index holds (keep in step with `merge` when the index learns new facts). */
  snapshot(): WorkspaceSnapshot {
    return [...this.byUri].map(([uri, f]) => {
      const entry: WorkspaceSnapshot[number] = [uri, f.classes, f.environment ?? null, f.stack ?? null, f.movingTags ?? null, f.imageRewrites];
      while (entry.length > 2 && entry[entry.length - 1] == null) entry.pop();
      return entry;
    });
  }

  /** Adds the facts of another index's snapshot (files it names replace what was known of them). */
  merge(snapshot: WorkspaceSnapshot): void {
    for (const [uri, classes, environment, stack, movingTags, imageRewrites] of snapshot) {
      this.byUri.set(uri, { classes, ...(environment ? { environment } : {}), ...(stack ? { stack } : {}), ...(movingTags ? { movingTags } : {}), ...(imageRewrites ? { imageRewrites } : {}) });
    }
    if (snapshot.length) this.detected = undefined;
    this.changed();
  }

  /** The cross-stack facts of every template the index has seen. */
  *stacks(): Iterable<StackFacts> {
    for (const f of this.byUri.values()) if (f.stack) yield f.stack;
  }

  /** Where files other than `except` run the moving tag of the ECR repository of that name. */
  movingTagUses(repository: string, except: string): Array<MovingTagUse & { uri: string }> {
    this.reads?.movingTags.add(repository);
    const out: Array<MovingTagUse & { uri: string }> = [];
    for (const [uri, f] of this.byUri) if (uri !== except) for (const u of f.movingTags ?? []) if (u.repository === repository) out.push({ ...u, uri });
    return out;
  }

  /**
   * Whether something replaces an image (`adservice`, `controller:latest`) in the manifests of the file `uri`
   * before they are applied: a Skaffold build artifact or a kustomization `images` entry of that name (tag
   * and digest aside), in a config whose folder holds the file.
   */
  rewritesImage(image: string, uri: string): boolean {
    const name = imageName(image);
    this.reads?.imageRewrites.add(name);
    const folder = folderOf(uri);
    for (const f of this.byUri.values()) for (const r of f.imageRewrites ?? []) if (r.name === name && folder.startsWith(r.folder)) return true;
    return false;
  }

  /** All StorageClasses of that name; more than one means the workspace disagrees with itself. */
  storageClasses(name: string): StorageClassInfo[] {
    this.reads?.classes.add(name);
    if (!this.byName) {
      this.byName = new Map();
      for (const f of this.byUri.values()) {
        for (const sc of f.classes) {
          let named = this.byName.get(sc.name);
          if (!named) this.byName.set(sc.name, (named = []));
          named.push(sc);
        }
      }
    }
    return this.byName.get(name)?.slice() ?? [];
  }

  /** The StorageClasses annotated `storageclass.kubernetes.io/is-default-class: "true"`. */
  defaultStorageClasses(): StorageClassInfo[] {
    if (this.reads) this.reads.defaults = true;
    if (!this.defaults) {
      this.defaults = [];
      for (const f of this.byUri.values()) for (const sc of f.classes) if (sc.isDefault) this.defaults.push(sc);
    }
    return this.defaults.slice();
  }

  /**
   * The environment the workspace's files show to a file (declared settings win over it: see
   * `mergeEnvironments`). A controller installed without its Service webhook says how the cluster of its own
   * folder works, not a sibling's (a repository of tutorials, each for another cluster): it counts only for
   * files in its folder and below.
   */
  detectedEnvironment(uri?: string): Environment {
    if (this.reads) this.reads.environment = true;
    const folder = uri === undefined ? undefined : folderOf(uri);
    // A file at the root has the folder '': the whole workspace gets a key no folder can have.
    const key = folder ?? '\0';
    this.detected ??= new Map();
    let env = this.detected.get(key);
    if (!env) {
      const facts = [...this.byUri].flatMap(([u, f]) => {
        if (!f.environment) return [];
        const { loadBalancerControllerWithoutWebhook: without, ...rest } = f.environment;
        return [without === undefined || folder === undefined || folder.startsWith(folderOf(u)) ? f.environment : rest];
      });
      env = combineFacts(facts);
      if (this.detected.size > 500) this.detected.clear();
      this.detected.set(key, env);
    }
    return env;
  }
}

/** What changed between two versions of a file's facts; undefined when nothing did. */
function diffFacts(uri: string, before: FileFacts | undefined, after: FileFacts | undefined): FactsChange | undefined {
  const json = (x: unknown) => JSON.stringify(x) ?? '';
  const classes = changedNames(before?.classes, after?.classes, (sc) => sc.name);
  const defaultNames = (f: FileFacts | undefined) => json((f?.classes ?? []).filter((sc) => sc.isDefault).map((sc) => sc.name));
  const defaults = defaultNames(before) !== defaultNames(after);
  const environment = json(before?.environment) !== json(after?.environment);
  const stacks = json(before?.stack) !== json(after?.stack) ? [before?.stack, after?.stack].filter((s): s is StackFacts => s !== undefined) : [];
  const movingTags = changedNames(before?.movingTags, after?.movingTags, (u) => u.repository);
  const imageRewrites = changedNames(before?.imageRewrites, after?.imageRewrites, (r) => r.name);
  if (!classes.length && !defaults && !environment && !stacks.length && !movingTags.length && !imageRewrites.length) return undefined;
  return { uri, classes, defaults, environment, stacks, movingTags, imageRewrites };
}

/** The names (`nameOf`) whose entries differ between two lists of facts. */
function changedNames<T>(before: T[] = [], after: T[] = [], nameOf: (t: T) => string): string[] {
  const of = (list: T[], name: string) => JSON.stringify(list.filter((t) => nameOf(t) === name));
  return [...new Set([...before, ...after].map(nameOf))].filter((name) => of(before, name) !== of(after, name));
}
