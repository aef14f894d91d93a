// EKS node groups that boot Amazon Linux 2, out of support: managed node groups by `AmiType`, eksctl node
// groups by `amiFamily`, Karpenter node classes by their AMI alias or family, self-managed nodes by the AL2
// AMI's SSM parameter.
import { asMap, asScalar, get, items, pair, str } from '../../documents/nodes';
import { branches, directTargets, literal, userDataText } from '../../model/intrinsics';
import { defineRule } from '../../engine/rule';
import { al2023AmiType, cdkAmiType, launchTemplateBootstrap } from '../eks-al2';
import { instanceSettings, LAUNCH_CONFIGURATION, LAUNCH_TEMPLATE } from '../ecs';
import { listed } from '../words';

const NODEGROUP = 'AWS::EKS::Nodegroup';
/** The public SSM parameter of an Amazon Linux 2 EKS optimized AMI (standard, arm64 or GPU). */
const AL2_PARAMETER = /\/aws\/service\/eks\/optimized-ami\/[^/\s]+\/amazon-linux-2(-arm64|-gpu)?\/recommended(\/image_id)?/;
const BOOTSTRAP_NOTES = {
  none: '',
  bootstrap: ' Its launch template\'s user data calls `/etc/eks/bootstrap.sh`, which AL2023 does not have: replace that call with a `nodeadm` `NodeConfig` in the same change.',
  unknown: ' It uses a launch template whose user data is not in this template: if it calls `/etc/eks/bootstrap.sh`, replace that call with a `nodeadm` `NodeConfig`, since AL2023 has no bootstrap script.',
} as const;

export default defineRule({
  meta: {
    id: 'eks-nodegroup-al2-ami',
    title: 'EKS node group runs Amazon Linux 2, which is out of support',
    severity: 'warning',
    kb: 'eks-node-types',
    appliesTo: ['cloudformation', 'kubernetes'],
    fixes: ['nodegroup-al2023'],
    description:
      'A managed node group picks its AMI through `AmiType`, an eksctl node group through `amiFamily`, a Karpenter `EC2NodeClass` through an `amiSelectorTerms` alias (`al2@latest`) or `amiFamily: AL2`, self-managed nodes through the launch template\'s `ImageId` (the AL2 AMI\'s SSM parameter `/aws/service/eks/optimized-ami/<version>/amazon-linux-2/recommended/image_id` is reported). The Amazon Linux 2 types (`AL2_x86_64`, `AL2_ARM_64`, `AL2_x86_64_GPU`; eksctl `AmazonLinux2`) stopped getting EKS optimized AMIs on **26 November 2025**, and none exist for Kubernetes 1.33 or later: such a node group gets no more AMI updates and blocks the cluster\'s upgrades. **Amazon Linux 2023** (`AL2023_x86_64_STANDARD`, `AL2023_ARM_64_STANDARD`, `AL2023_x86_64_NVIDIA`) or **Bottlerocket** (`BOTTLEROCKET_*`) replace them. AL2023 nodes join through `nodeadm`, not `/etc/eks/bootstrap.sh`: a launch template whose user data calls the script has to be rewritten too. Node groups that leave `AmiType` out get the default of their Kubernetes version and are not reported.',
    fix: 'Set `AmiType` to the Amazon Linux 2023 type of the same architecture (`AL2023_x86_64_STANDARD` for `AL2_x86_64`, `AL2023_ARM_64_STANDARD` for `AL2_ARM_64`, `AL2023_x86_64_NVIDIA` for `AL2_x86_64_GPU`) or a Bottlerocket type; in CDK, `amiType: eks.NodegroupAmiType.AL2023_X86_64_STANDARD` (for the default capacity of an `eks.Cluster`, the feature flag `@aws-cdk/aws-eks:defaultToAL2023`); in eksctl, `amiFamily: AmazonLinux2023`. If the node group has a launch template with user data, replace the `bootstrap.sh` call with a `nodeadm` `NodeConfig`.',
    messages: {
      al2AmiType: 'Node group {{nodegroup}} runs Amazon Linux 2 ({{amiType}}), out of support since 26 November 2025',
      al2Family: 'eksctl node group {{nodegroup}} runs Amazon Linux 2 (amiFamily), out of support since 26 November 2025',
      al2NodeClass: 'Karpenter EC2NodeClass {{nodegroup}} runs Amazon Linux 2 ({{what}}), out of support since 26 November 2025',
      al2Parameter: '{{resource}} boots the EKS Amazon Linux 2 AMI, out of support since 26 November 2025',
    },
    details: {
      al2AmiType: 'AWS stopped publishing Amazon Linux 2 EKS optimized AMIs on 26 November 2025, and none exist for Kubernetes 1.33 or later, so this node group gets no more AMI updates and holds the cluster back. {{how}}{{launchTemplateNote}}',
      al2Family: 'AWS stopped publishing Amazon Linux 2 EKS optimized AMIs on 26 November 2025, and none exist for Kubernetes 1.33 or later. Set `amiFamily: AmazonLinux2023` (or `Bottlerocket`); custom `overrideBootstrapCommand` or `preBootstrapCommands` that call `/etc/eks/bootstrap.sh` must move to a `nodeadm` `NodeConfig`.',
      al2Parameter:
        'Its image comes from the SSM parameter {{parameter}}, the Amazon Linux 2 EKS optimized AMI, which AWS stopped publishing on 26 November 2025 (none exist for Kubernetes 1.33 or later), so these nodes get no more AMI updates. Use the Amazon Linux 2023 parameter, `/aws/service/eks/optimized-ami/<version>/amazon-linux-2023/x86_64/standard/recommended/image_id` (`arm64` for Graviton), or Bottlerocket\'s, and move the user data from `/etc/eks/bootstrap.sh` to a `nodeadm` `NodeConfig`.',
      al2NodeClass:
        'AWS stopped publishing Amazon Linux 2 EKS optimized AMIs on 26 November 2025, and none exist for Kubernetes 1.33 or later, so the nodes Karpenter launches from this class get no more AMI updates. Select Amazon Linux 2023 with an `amiSelectorTerms` alias pinned to a release, `al2023@v<date>` (Karpenter advises against `@latest` outside pre-production), or Bottlerocket (`bottlerocket@v<version>`); with `amiFamily`, `AL2023` or `Bottlerocket`. Custom `userData` for AL2023 is a `nodeadm` `NodeConfig`, not `bootstrap.sh` arguments.',
    },
    example: {
      fires: 'Resources:\n  Nodes:\n    Type: AWS::EKS::Nodegroup\n    Properties:\n      ClusterName: prod\n      NodeRole: arn:aws:iam::123456789012:role/nodes\n      Subnets: [subnet-1]\n      AmiType: AL2_x86_64\n',
      fixed: 'Resources:\n  Nodes:\n    Type: AWS::EKS::Nodegroup\n    Properties:\n      ClusterName: prod\n      NodeRole: arn:aws:iam::123456789012:role/nodes\n      Subnets: [subnet-1]\n      AmiType: AL2023_x86_64_STANDARD\n',
    },
  },
  check(ctx) {
    if (ctx.family === 'cloudformation') {
      const cdk = ctx.file.kind === 'cdk';
      // Self-managed nodes whose image is the AL2 EKS AMI's SSM parameter, written in place or as a parameter's default.
      for (const res of ctx.template.byType(LAUNCH_TEMPLATE, LAUNCH_CONFIGURATION)) {
        const image = get(instanceSettings(res), 'ImageId');
        if (!image) continue;
        const param = ctx.template.parameters.get(directTargets(image).find((t) => ctx.template.isParameter(t.target))?.target ?? '');
        const text = userDataText(image) ?? (param && /^AWS::SSM::Parameter::Value</.test(str(get(param.node, 'Type')) ?? '') ? str(get(param.node, 'Default')) : undefined);
        const path = AL2_PARAMETER.exec(text ?? '')?.[0];
        if (path) ctx.report({ node: image, messageId: 'al2Parameter', values: { resource: `${res.type === LAUNCH_TEMPLATE ? 'Launch template' : 'Launch configuration'} ${ctx.name(res)}`, parameter: `\`${path}\`` } });
      }
      for (const ng of ctx.template.byType(NODEGROUP)) {
        const amiType = pair(ng.properties, 'AmiType');
        // One finding per node group: on the AL2 branch, or on the whole value when several branches are AL2.
        const al2 = branches(amiType?.value).flatMap((b) => {
          const value = literal(b);
          const replacement = al2023AmiType(value);
          return replacement ? [{ node: b, value: value!, replacement }] : [];
        });
        if (!amiType || !al2.length) continue;
        const bootstrap = launchTemplateBootstrap(ctx.template, ng);
        const spellType = (t: string) => (cdk ? `\`${cdkAmiType(t)}\`` : `\`${t}\``);
        const replacement = listed(al2.map((x) => spellType(x.replacement)));
        // `eks.Cluster`'s default capacity takes no amiType: a feature flag, or a node group of one's own.
        const how = cdk && ng.cdkPath?.endsWith('/NodegroupDefaultCapacity')
          ? `The cluster's default capacity takes no \`amiType\`: set the feature flag \`"@aws-cdk/aws-eks:defaultToAL2023": true\` in \`cdk.json\`, or set \`defaultCapacity: 0\` and add the nodes with \`cluster.addNodegroupCapacity('Nodes', { amiType: ${replacement.replace(/`/g, '')} })\`.`
          : `Set ${cdk ? '`amiType`' : '`AmiType`'} to ${replacement} (Amazon Linux 2023) or a Bottlerocket type.`;
        ctx.report({
          node: al2.length === 1 ? al2[0].node : amiType.value,
          messageId: 'al2AmiType',
          values: {
            nodegroup: ctx.name(ng),
            amiType: al2.map((x) => x.value).join(', '),
            how,
            launchTemplateNote: BOOTSTRAP_NOTES[bootstrap],
          },
          // Changing the type alone is safe only when no launch template's user data calls bootstrap.sh.
          data: bootstrap === 'none' ? { fix: 'nodegroup-al2023', resource: ng.id } : undefined,
        });
      }
      return;
    }
    for (const obj of ctx.objects) {
      if (obj.kind === 'EC2NodeClass' && obj.apiVersion.startsWith('karpenter.k8s.aws/')) {
        // Karpenter v1 picks the AMI by an alias (`al2@latest`), v1beta1 (and non-alias terms) by `amiFamily`.
        const spec = get(obj.node, 'spec');
        const alias = items(get(spec, 'amiSelectorTerms')).map((t) => asScalar(get(t, 'alias'))).find((a) => /^al2@/i.test(str(a) ?? ''));
        const family = asScalar(get(spec, 'amiFamily'));
        const node = alias ?? (str(family) === 'AL2' ? family : undefined);
        if (node) ctx.report({ node, messageId: 'al2NodeClass', values: { nodegroup: obj.name ?? '(unnamed)', what: alias ? `alias ${str(alias)}` : 'amiFamily AL2' } });
        continue;
      }
      if (obj.kind !== 'ClusterConfig' || !obj.apiVersion.startsWith('eksctl.io/')) continue;
      for (const list of ['managedNodeGroups', 'nodeGroups']) {
        for (const item of items(get(obj.node, list)).map(asMap)) {
          const family = asScalar(get(item, 'amiFamily'));
          if (str(family) !== 'AmazonLinux2') continue;
          ctx.report({ node: family!, messageId: 'al2Family', values: { nodegroup: str(get(item, 'name')) ?? '(unnamed)' } });
        }
      }
    }
  },
});
