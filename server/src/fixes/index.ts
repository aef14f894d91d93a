// Quick fixes as pure text edits. A finding's `data.fix` names the fix kind (rules set it, e.g.
// `{ fix: 'add-task-role', resource: 'Task' }`); when a rule sets none, its id picks the default kind.
// Fixes never read the message. Every fix is checked before it is offered: the edited text must parse
// with no more syntax errors than before. "Suppress with a reason" is offered for every rule finding.
//
// Data contract (what each kind reads):
//   add-task-role                     { resource }                       ecs-task-role-missing
//   set-network-mode                  { resource }                       ecs-fargate-network-mode
//   set-memory | set-cpu | set-task-size { resource, cpu?, memory? }     ecs-fargate-task-size
//   scan-on-push                      { resource }                       ecr-scan-on-push-disabled
//   immutable-tags                    { resource }                       ecr-tags-mutable
//   lifecycle-policy                  { resource }                       ecr-lifecycle-policy-missing
//   nlb-annotations                   (the Service holding the finding)  k8s-service-classic-lb
//   ebs-csi                           (the StorageClass holding it)      k8s-in-tree-ebs
// `resource` is a logical id; without it, the resource whose text holds the finding is used.
import type { ParsedFile } from '../documents/parse';
import { kindOf, modelOf, parseFile, type FileModel } from '../kinds';
import { SYNTAX_ERROR, INTERNAL_ERROR } from '../engine/run';
import { SUPPRESSION_FINDINGS } from '../engine/suppress';
import { applyEdits, Editor } from './edit';
import { immutableTags, lifecyclePolicy, scanOnPush } from './ecr';
import { ebsCsi } from './k8s-ebs-csi';
import { nlbAnnotations } from './k8s-nlb';
import { setNetworkMode } from './network-mode';
import { suppress } from './suppress';
import { addTaskRole } from './task-role';
import { setTaskSize } from './task-size';
import type { Fix, FixContext, FixProvider, FixTarget } from './types';

export type { Fix, FixTarget } from './types';
export { applyEdits, type TextEdit } from './edit';

export const FIX_KINDS: Readonly<Record<string, FixProvider>> = {
  'add-task-role': addTaskRole,
  'set-network-mode': setNetworkMode,
  'set-memory': setTaskSize,
  'set-cpu': setTaskSize,
  'set-task-size': setTaskSize,
  'scan-on-push': scanOnPush,
  'immutable-tags': immutableTags,
  'lifecycle-policy': lifecyclePolicy,
  'nlb-annotations': nlbAnnotations,
  'ebs-csi': ebsCsi,
};

/** The fix kind of each rule that has one, used when a finding's data names none. */
export const RULE_FIXES: Readonly<Record<string, string>> = {
  'ecs-task-role-missing': 'add-task-role',
  'ecs-fargate-network-mode': 'set-network-mode',
  'ecs-fargate-task-size': 'set-memory',
  'ecr-scan-on-push-disabled': 'scan-on-push',
  'ecr-tags-mutable': 'immutable-tags',
  'ecr-lifecycle-policy-missing': 'lifecycle-policy',
  'k8s-service-classic-lb': 'nlb-annotations',
  'k8s-in-tree-ebs': 'ebs-csi',
};

/** What each rule's quick fix does, for rule articles. */
export const QUICK_FIX_SUMMARY: Readonly<Record<string, string>> = {
  'ecs-task-role-missing': 'adds `TaskRoleArn` pointing at a new `AWS::IAM::Role` trusted by `ecs-tasks.amazonaws.com` (inserted after the task definition), or at an existing task role of the template that no other task definition uses.',
  'ecs-fargate-network-mode': 'sets `NetworkMode: awsvpc`.',
  'ecs-fargate-task-size': 'sets `Memory` to the nearest size Fargate allows for the `Cpu` (or `Cpu` to the smallest size that allows the `Memory`).',
  'ecr-scan-on-push-disabled': 'sets `ImageScanningConfiguration.ScanOnPush: true`.',
  'ecr-tags-mutable': 'sets `ImageTagMutability: IMMUTABLE`.',
  'ecr-lifecycle-policy-missing': 'adds a `LifecyclePolicy` that expires untagged images 14 days after they were pushed.',
  'k8s-service-classic-lb': 'adds the AWS Load Balancer Controller annotations for a Network Load Balancer with IP targets (`aws-load-balancer-type: external`, `aws-load-balancer-nlb-target-type: ip`, `aws-load-balancer-scheme`).',
  'k8s-in-tree-ebs': 'switches the StorageClass provisioner to `ebs.csi.aws.com` (with `type: gp3`).',
};

/** True when a rule has a quick fix beyond suppression. */
export function hasQuickFix(ruleId: string): boolean {
  return ruleId in RULE_FIXES;
}

export interface FixOptions {
  /** The file's model, when the caller already has it. */
  model?: FileModel;
  /** Include "Suppress with a reason" (default true). */
  suppress?: boolean;
  onError?: (error: unknown) => void;
}

/** Every fix that applies to a finding in a parsed file: the rule's own fixes first, then suppression. */
export function fixesFor(file: ParsedFile, finding: FixTarget, options: FixOptions = {}): Fix[] {
  // Some kinds (ECS API task definitions) are read through a model whose nodes are not the file's text:
  // no edit could be placed safely there.
  if (!kindOf(file)?.editable || finding.ruleId === SYNTAX_ERROR || finding.ruleId === INTERNAL_ERROR || SUPPRESSION_FINDINGS.includes(finding.ruleId)) return [];
  const model = options.model ?? modelOf(file);
  const ctx: FixContext = {
    file,
    finding,
    template: model.template,
    objects: model.objects,
    editor: new Editor(file),
  };
  const named = typeof finding.data?.fix === 'string' ? finding.data.fix : undefined;
  const kind = named && FIX_KINDS[named] ? named : RULE_FIXES[finding.ruleId];
  const out: Fix[] = [];
  const run = (provider: FixProvider) => {
    try {
      out.push(...provider(ctx).filter((f) => f.edits.length && keepsParsing(file, f)));
    } catch (error) {
      options.onError?.(error);
    }
  };
  if (kind) run(FIX_KINDS[kind]);
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
