// k8s-in-tree-ebs: a StorageClass on the deprecated in-tree EBS provisioner moves to the EBS CSI driver
// (`ebs.csi.aws.com`) as a class the driver accepts: `zone`/`zones` become `allowedTopologies`, `fsType`
// becomes `csi.storage.k8s.io/fstype`, the volume type and the other parameters stay as they are. Not
// offered when a parameter has no CSI form (the driver would reject the class). StorageClass fields are
// immutable in a cluster: the class must be recreated (the title says so).
import { asMap, asScalar, get, str } from '../documents/nodes';
import { CSI_FSTYPE, ebsMigration, ZONE_LABEL } from '../rules/ebs-csi';
import { EBS_CSI, IN_TREE_EBS } from '../rules/storage';
import type { TextEdit } from './edit';
import { defineFix, findingObject, type Fix, type FixContext } from './types';

export const ebsCsi = defineFix<Record<string, never>>({
  id: 'ebs-csi',
  summary: `switches the StorageClass provisioner to \`${EBS_CSI}\` and moves the in-tree parameters to their CSI form (\`zone\`/\`zones\` to \`allowedTopologies\` on \`${ZONE_LABEL}\`, \`fsType\` to \`${CSI_FSTYPE}\`), keeping \`type\`, \`iopsPerGB\`, \`encrypted\` and \`kmsKeyId\`; it is not offered when a parameter has no CSI equivalent.`,
  provide,
});

function provide(ctx: FixContext<Record<string, never>>): Fix[] {
  const obj = findingObject(ctx);
  if (!obj || obj.kind !== 'StorageClass') return [];
  const provisioner = asScalar(get(obj.node, 'provisioner'));
  if (!provisioner || str(provisioner) !== IN_TREE_EBS) return [];
  const m = ebsMigration(obj.node);
  if (m.unsupported.length || m.conflict) return [];
  const edits: TextEdit[] = [ctx.editor.replaceScalar(provisioner, EBS_CSI)];
  const changes: string[] = [m.type ? `type ${m.type} kept` : 'type gp3 by default'];
  if (m.fsType) {
    edits.push(ctx.editor.replaceScalar(m.fsType.key, CSI_FSTYPE));
    changes.push(`fsType as ${CSI_FSTYPE}`);
  }
  if (m.zones.length) {
    const params = asMap(get(obj.node, 'parameters'))!;
    for (const p of m.zonePairs) {
      const removal = ctx.editor.removePair(params, p);
      if (!removal) return [];
      edits.push(removal);
    }
    edits.push(ctx.editor.insertPairs(obj.node, [['allowedTopologies', [{ matchLabelExpressions: [{ key: ZONE_LABEL, values: m.zones }] }]]]));
    changes.push(`${m.zones.join(', ')} in allowedTopologies`);
  }
  return [{ title: `Switch the provisioner to ${EBS_CSI} (${changes.join('; ')}; recreate the StorageClass to apply)`, preferred: true, edits }];
}
