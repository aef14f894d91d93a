// Quick fixes as pure text edits. Each fix kind (a module of this folder) exports its id, a summary for rule
// articles and a provider; the rules that offer a kind name it in `meta.fixes` and in their findings'
// `data.fix` (e.g. `{ fix: 'add-task-role', resource: 'Task' }`); a finding whose data names none gets the
// rule's first. Fixes never read the message. Every fix is checked before it is offered: the edited text
// must parse with no more syntax errors than before. "Suppress with a reason" is offered for every rule
// finding. `test/unit/fix-catalogue.test.js` checks that rules, data and kinds agree.
import type { ParsedFile } from '../documents/parse';
import { kindOf, modelOf, parseFile, type FileModel } from '../kinds';
import { ruleById } from '../rules';
import type { RuleMeta } from '../engine/rule';
import { SYNTAX_ERROR, INTERNAL_ERROR, FINDINGS_CAPPED } from '../engine/run';
import { SUPPRESSION_FINDINGS } from '../engine/suppress';
import { applyEdits, Editor } from './edit';
import { apprunnerAccessRole } from './apprunner-access-role';
import { addCapacityProvider } from './capacity-provider';
import { containerInsightsAddon } from './container-insights';
import { dropFargate } from './drop-fargate';
import { ecrRepositorySettings, immutableTags, lifecyclePolicy, scanOnPush } from './ecr';
import { ecrPublicMirrorFix } from './ecr-public-mirror';
import { eksOptimizedAmiSsm } from './eks-ami';
import { addExecutionRole } from './execution-role';
import { addInstanceProfile } from './instance-profile';
import { ebsCsi } from './k8s-ebs-csi';
import { nlbAnnotations } from './k8s-nlb';
import { nodegroupAl2023 } from './nodegroup-al2023';
import { setNetworkMode } from './network-mode';
import { addServiceAutoscaling } from './service-autoscaling';
import { suppress } from './suppress';
import { addTaskRole } from './task-role';
import { setTaskSize } from './task-size';
import { teamQuickFix } from '../team/fix';
import type { Fix, FixContext, FixKind, FixTarget } from './types';

export type { Fix, FixKind, FixTarget } from './types';
export { applyEdits, type TextEdit } from './edit';

/** Every fix kind, sorted by id. */
export const FIX_KINDS: ReadonlyArray<FixKind<any>> = [
  addCapacityProvider,
  addExecutionRole,
  addInstanceProfile,
  addServiceAutoscaling,
  addTaskRole,
  apprunnerAccessRole,
  containerInsightsAddon,
  dropFargate,
  ebsCsi,
  ecrPublicMirrorFix,
  ecrRepositorySettings,
  eksOptimizedAmiSsm,
  immutableTags,
  lifecyclePolicy,
  nlbAnnotations,
  nodegroupAl2023,
  scanOnPush,
  setNetworkMode,
  setTaskSize,
  teamQuickFix,
];

const BY_ID: ReadonlyMap<string, FixKind> = new Map(FIX_KINDS.map((k) => [k.id, k]));

export function fixKind(id: string): FixKind | undefined {
  return BY_ID.get(id);
}

/** The fix kinds a rule declares in `meta.fixes` that exist, in its order (the first is its default). */
function kindsOf(ruleId: string): FixKind[] {
  return (ruleById(ruleId)?.meta.fixes ?? []).flatMap((id) => BY_ID.get(id) ?? []);
}

/** True when a rule has a quick fix beyond suppression. */
export function hasQuickFix(ruleId: string): boolean {
  return kindsOf(ruleId).length > 0;
}

/** What a rule's quick fixes do (Markdown, for its article), or undefined when it has none. */
export function quickFixSummary(meta: Pick<RuleMeta, 'id'>): string | undefined {
  const kinds = kindsOf(meta.id);
  return kinds.length ? kinds.map((k) => k.summary).join(' Or: ') : undefined;
}

export interface FixOptions {
  /** The file's model, when the caller already has it. */
  model?: FileModel;
  /** Include "Suppress with a reason" (default true). */
  suppress?: boolean;
  onError?: (error: unknown) => void;
}

/**
 * The fix `--fix` applies unasked: the preferred one; the first when none says either way; none when the
 * rule marks its fixes as not preferred (a change that needs a person, such as an empty task role for a
 * task that calls AWS).
 */
export function autoFix(fixes: readonly Fix[]): Fix | undefined {
  return fixes.find((f) => f.preferred) ?? fixes.find((f) => f.preferred === undefined);
}

/** Every fix that applies to a finding in a parsed file: the rule's own fixes first, then suppression. */
export function fixesFor(file: ParsedFile, finding: FixTarget, options: FixOptions = {}): Fix[] {
  // Some kinds (ECS API task definitions) are read through a model whose nodes are not the file's text:
  // no edit could be placed safely there.
  if (!kindOf(file)?.editable || finding.ruleId === SYNTAX_ERROR || finding.ruleId === INTERNAL_ERROR || finding.ruleId === FINDINGS_CAPPED || SUPPRESSION_FINDINGS.includes(finding.ruleId)) return [];
  const data = finding.data && typeof finding.data === 'object' && !Array.isArray(finding.data) ? finding.data : {};
  const model = options.model ?? modelOf(file);
  const ctx: FixContext = {
    file,
    finding,
    data,
    template: model.template,
    objects: model.objects,
    editor: new Editor(file),
  };
  // The kind the finding names, when its rule offers it; else the rule's default.
  const kinds = kindsOf(finding.ruleId);
  const kind = kinds.find((k) => k.id === data.fix) ?? kinds[0];
  const out: Fix[] = [];
  const run = (provide: (ctx: FixContext) => Fix[]) => {
    try {
      out.push(...provide(ctx).filter((f) => f.edits.length && keepsParsing(file, f)));
    } catch (error) {
      options.onError?.(error);
    }
  };
  if (kind) run((c) => kind.provide(c));
  // A second kind the finding names (e.g. one that fixes several findings of a resource at once), when declared.
  const also = kinds.find((k) => k.id === data.alsoFix && k !== kind);
  if (also) run((c) => also.provide(c));
  if (options.suppress !== false) run(suppress);
  return out;
}

/** Above this size the check is skipped (a code action must stay quick); the edits are still local. */
const VERIFY_MAX = 2_000_000;

/** The edited file parses, with no more syntax errors than the original. */
function keepsParsing(file: ParsedFile, fix: Fix): boolean {
  if (file.text.length > VERIFY_MAX) return true;
  const after = parseFile(applyEdits(file.text, fix.edits), file.uri);
  return !!after.kind && after.errors.length <= file.errors.length;
}
