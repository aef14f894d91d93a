// eks-nodegroup-al2-ami: set a managed node group's `AmiType` to the Amazon Linux 2023 type of the same
// architecture. Offered only when no launch template's user data calls the AL2 bootstrap script (or could).
import { asScalar, get } from '../documents/nodes';
import { branches, literal } from '../model/intrinsics';
import type { Resource } from '../model/template';
import { al2023AmiType, launchTemplateBootstrap } from '../rules/eks-al2';
import { defineFix, findingResource } from './types';

export const nodegroupAl2023 = defineFix<{ resource: string }>({
  id: 'nodegroup-al2023',
  summary: 'sets the managed node group\'s `AmiType` to the Amazon Linux 2023 type of the same architecture (`AL2_x86_64` to `AL2023_x86_64_STANDARD`, `AL2_ARM_64` to `AL2023_ARM_64_STANDARD`, `AL2_x86_64_GPU` to `AL2023_x86_64_NVIDIA`); not offered when the node group\'s launch template has user data that calls `bootstrap.sh` or cannot be read.',
  provide(ctx) {
    const ng = findingResource(ctx, 'AWS::EKS::Nodegroup');
    if (!ng || !ctx.template || launchTemplateBootstrap(ctx.template, ng) !== 'none') return [];
    // Every Amazon Linux 2 branch of the value (`!If [Gpu, AL2_x86_64_GPU, AL2_x86_64]`).
    const edits = branches(get(ng.properties, 'AmiType')).flatMap((b) => {
      const scalar = asScalar(b);
      const replacement = typeof scalar?.value === 'string' ? al2023AmiType(scalar.value) : undefined;
      return scalar && replacement ? [ctx.editor.replaceScalar(scalar, replacement)] : [];
    });
    return edits.length ? [{ title: `Run node group ${ng.id} on Amazon Linux 2023 (AmiType ${al2023Types(ng)})`, preferred: true, edits }] : [];
  },
});

function al2023Types(ng: Resource): string {
  return branches(get(ng.properties, 'AmiType')).flatMap((b) => al2023AmiType(literal(b)) ?? []).join(', ');
}
