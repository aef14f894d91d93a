// The file kinds KB Hints reads, in the order they are tried. Adding a kind: its descriptor, listed here.
import { NOT_LINTED, parseText, skip, type ParsedFile, type ParseOptions } from '../documents/parse';
import { isBuildSpec, isWorkflow } from '../model/image-pushes';
import { cdk } from './cdk';
import { cloudformation } from './cloudformation';
import { ecsTaskdef } from './ecs-taskdef';
import { helm } from './helm';
import type { Family, FileModel, KindDescriptor } from './kind';
import { kubernetes, templateSkip } from './kubernetes';

export type { Family, FileModel, KindDescriptor, Place, SuppressionForm } from './kind';

// CDK output before hand-written CloudFormation: both are templates, the CDK one carries construct paths.
// Helm chart templates are claimed by location (their `parse`), before any kind looks at the text.
export const KINDS: readonly KindDescriptor[] = [cdk, cloudformation, ecsTaskdef, kubernetes, helm];

export const FAMILIES: readonly Family[] = ['cloudformation', 'kubernetes'];

const BY_ID = new Map(KINDS.map((k) => [k.id, k]));

/** The descriptor of a parsed file's kind; undefined for a file that is not linted. */
export function kindOf(file: ParsedFile): KindDescriptor | undefined {
  return file.kind === undefined ? undefined : BY_ID.get(file.kind);
}

export function kindById(id: string): KindDescriptor | undefined {
  return BY_ID.get(id);
}

/** Every file name ending some kind may claim (the CLI's walk, fixtures). */
export const FILE_EXTENSIONS: readonly string[] = [...new Set(KINDS.flatMap((k) => k.extensions))];

/** True when some kind may claim a file of that name. */
export function mayClaim(name: string): boolean {
  const lower = name.toLowerCase();
  return FILE_EXTENSIONS.some((e) => lower.endsWith(e));
}

/** Every editor language a kind's files open as (the client's document selector, activation events). */
export const LANGUAGES: readonly string[] = [...new Set(KINDS.flatMap((k) => k.languages))];

const READ_FOR_PUSHES = '(read for the images it pushes, not linted)';

/** Why a CI file is skipped: the ECR rules read what it pushes (engine/image-facts.ts). */
function ciFile(text: string, uri: string): string | undefined {
  if (isBuildSpec(text)) return `a CodeBuild build spec ${READ_FOR_PUSHES}`;
  if (isWorkflow(uri, text)) return `a GitHub Actions workflow ${READ_FOR_PUSHES}`;
  return undefined;
}

/** True for the reason a file is skipped that still holds workspace facts (a CI file): it is indexed anyway. */
export function skippedWithFacts(reason: string | undefined): boolean {
  return !!reason?.endsWith(READ_FOR_PUSHES);
}

const MIME = /^\s*MIME-Version:[ \t]*1\.0[ \t]*\r?\n(?:[\w-]+:.*\r?\n)*?Content-Type:[ \t]*multipart\//i;

/** Reads a file's text: parses it once and decides its kind (or why it is skipped). */
export function parseFile(text: string, uri: string, options: ParseOptions = {}): ParsedFile {
  for (const k of KINDS) {
    const own = k.parse?.(text, uri, options);
    if (own) return own;
  }
  const file = parseText(text, uri, options, (t) => KINDS.some((k) => k.hint.test(t)));
  if (file.skipped) return file.skipped === NOT_LINTED ? skip(file, ciFile(text, uri) ?? NOT_LINTED) : file;
  // EC2 user data for nodeadm and cloud-init (`config.yaml` with a NodeConfig part) is MIME, not YAML.
  if (MIME.test(text)) return skip(file, 'a MIME multi-part document (EC2 user data), not YAML');
  const kind = KINDS.find((k) => k.formats.includes(file.format) && k.detect(file));
  // A template that does not parse may have lost what made it a manifest: its own reason says why.
  if (!kind) return skip(file, templateSkip(file) ?? ciFile(text, uri) ?? NOT_LINTED);
  const reason = kind.skip?.(file);
  if (reason) return skip(file, reason);
  file.kind = kind.id;
  return file;
}

/** The model of a parsed file (none for a skipped one). */
export function modelOf(file: ParsedFile): FileModel {
  return kindOf(file)?.model(file) ?? { objects: [] };
}
