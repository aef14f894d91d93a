// k8s-in-tree-ebs: a StorageClass on the deprecated in-tree EBS provisioner switches to the EBS CSI
// driver (`ebs.csi.aws.com`), with `type: gp3` unless another volume type was chosen on purpose.
// StorageClass fields are immutable in a cluster: the class must be recreated (the title says so).
import { asMap, asScalar, get, str } from '../documents/nodes';
import type { TextEdit } from './edit';
import { defineFix, findingObject, type Fix, type FixContext } from './types';

export const IN_TREE_EBS = 'kubernetes.io/aws-ebs';
export const EBS_CSI = 'ebs.csi.aws.com';

export const ebsCsi = defineFix<Record<string, never>>({
  id: 'ebs-csi',
  summary: 'switches the StorageClass provisioner to `ebs.csi.aws.com` (with `type: gp3`).',
  provide,
});

function provide(ctx: FixContext<Record<string, never>>): Fix[] {
  const obj = findingObject(ctx);
  if (!obj || obj.kind !== 'StorageClass') return [];
  const provisioner = asScalar(get(obj.node, 'provisioner'));
  if (!provisioner || str(provisioner) !== IN_TREE_EBS) return [];
  const edits: TextEdit[] = [ctx.editor.replaceScalar(provisioner, EBS_CSI)];
  const type = str(get(asMap(get(obj.node, 'parameters')), 'type'));
  if (type === undefined || type === 'gp2' || type === 'standard') {
    const typeEdits = ctx.editor.setIn(obj.node, ['parameters'], [['type', 'gp3']]);
    if (!typeEdits) return [];
    edits.push(...typeEdits);
  }
  const gp3 = type === undefined || type === 'gp2' || type === 'standard' ? ' with type gp3' : '';
  return [{ title: `Switch the provisioner to ${EBS_CSI}${gp3} (recreate the StorageClass to apply)`, preferred: true, edits }];
}
