// Self-managed EKS nodes booted from a hard-coded AMI id.
import { asMap, get, pair, type MapNode, type Node } from '../../documents/nodes';
import { branches, findInMapEntries, literal, userDataText, type MapEntry } from '../../model/intrinsics';
import type { Resource } from '../../model/template';
import { defineRule } from '../../engine/rule';
import { AL2_BOOTSTRAP } from '../eks-al2';

/** User data that joins a node to an EKS cluster: the AL2 bootstrap script, a nodeadm NodeConfig (AL2023), or the Windows bootstrap. */
const EKS_NODE_BOOTSTRAP = /\/etc\/eks\/bootstrap\.sh|\bkind["']?\s*:\s*["']?NodeConfig\b|Start-EKSBootstrap/;
const AMI_ID = /^ami-[0-9a-f]{8}([0-9a-f]{9})?$/;

export default defineRule({
  meta: {
    id: 'eks-self-managed-ami',
    title: 'Self-managed EKS nodes use a hard-coded AMI',
    severity: 'info',
    kb: 'eks-node-types',
    appliesTo: ['cloudformation'],
    fixes: ['eks-optimized-ami-ssm'],
    description:
      'Self-managed EKS nodes run in your own Auto Scaling group from a launch template whose user data joins them to the cluster, and **you own AMI updates**. A literal `ami-...` id is tied to one region and one Kubernetes version and silently falls behind on security patches; AWS publishes the current Amazon EKS optimized AMI ids as public SSM parameters. Amazon Linux 2 EKS AMIs reached **end of support on 26 November 2025** (Kubernetes 1.32 was the last version with them): current nodes run **Amazon Linux 2023**, joined by a `nodeadm` `NodeConfig` in the user data instead of `/etc/eks/bootstrap.sh`, or **Bottlerocket**. Managed node groups make an AMI update one managed operation that you start (unless a launch template pins a custom AMI). An `ImageId` read from the template\'s `Mappings` through `Fn::FindInMap` counts as hard-coded when the entry it reads holds an `ami-...` id: with literal keys that one entry, with `!Ref AWS::Region` as the top-level key every region\'s entry for the second key (the finding is on the `Fn::FindInMap`, the entries are related locations).',
    fix: 'Resolve the AMI from its public SSM parameter: `ImageId: \'{{resolve:ssm:/aws/service/eks/optimized-ami/<version>/amazon-linux-2023/x86_64/standard/recommended/image_id}}\'` (`arm64` for Graviton) for AL2023, or `/aws/service/bottlerocket/aws-k8s-<version>/x86_64/latest/image_id` for Bottlerocket, in place or through a parameter of type `AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>` with that name as default. On AL2023, replace the `bootstrap.sh` call with a `nodeadm` `NodeConfig` (MIME part `application/node.eks.aws`: cluster name, API endpoint, certificate authority, service CIDR). Or replace the nodes with an `AWS::EKS::Nodegroup`, which picks the AMI through `AmiType` (`AL2023_x86_64_STANDARD`, `BOTTLEROCKET_x86_64`...).',
    messages: {
      managedNodeGroup: '{{what}} {{resource}} pins its managed node group to a hard-coded {{ami}}',
      selfManaged: '{{what}} {{resource}} boots self-managed EKS nodes from a hard-coded {{ami}}',
      selfManagedAl2: '{{what}} {{resource}} boots Amazon Linux 2 EKS nodes (out of support) from a hard-coded {{ami}}',
    },
    details: {
      managedNodeGroup: 'With a custom AMI in its launch template, the node group no longer picks up new EKS optimized AMIs: you own the updates. Resolve the AMI from its public SSM parameter ({{resolve:ssm:/aws/service/eks/optimized-ami/<version>/amazon-linux-2023/x86_64/standard/recommended/image_id}}, or an AWS::SSM::Parameter::Value<AWS::EC2::Image::Id> parameter), or drop ImageId and let the node group pick the AMI through AmiType.',
      selfManaged: 'A literal AMI id is tied to one region and one Kubernetes version and falls behind on security patches. Resolve the Amazon EKS optimized AMI from its public SSM parameter ({{resolve:ssm:/aws/service/eks/optimized-ami/<version>/amazon-linux-2023/x86_64/standard/recommended/image_id}}, or /aws/service/bottlerocket/aws-k8s-<version>/x86_64/latest/image_id), or use managed node groups.',
      selfManagedAl2: 'The user data runs /etc/eks/bootstrap.sh, which only Amazon Linux 2 EKS AMIs have; AWS stopped publishing them on 26 November 2025 (Kubernetes 1.32 was the last version). Move to Amazon Linux 2023 (ImageId from {{resolve:ssm:/aws/service/eks/optimized-ami/<version>/amazon-linux-2023/x86_64/standard/recommended/image_id}}, user data a nodeadm NodeConfig instead of bootstrap.sh) or Bottlerocket (/aws/service/bottlerocket/aws-k8s-<version>/x86_64/latest/image_id), or to managed node groups.',
    },
    example: {
      fires:
        'Resources:\n  NodeTemplate:\n    Type: AWS::EC2::LaunchTemplate\n    Properties:\n      LaunchTemplateData:\n        ImageId: ami-0123456789abcdef0\n        UserData:\n          Fn::Base64: !Sub "#!/bin/bash\\n/etc/eks/bootstrap.sh ${Cluster}\\n"\n',
      fixed:
        'Resources:\n  NodeTemplate:\n    Type: AWS::EC2::LaunchTemplate\n    Properties:\n      LaunchTemplateData:\n        ImageId: "{{resolve:ssm:/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/image_id}}"\n        UserData:\n          Fn::Base64: !Sub |\n            MIME-Version: 1.0\n            Content-Type: multipart/mixed; boundary="BOUNDARY"\n\n            --BOUNDARY\n            Content-Type: application/node.eks.aws\n\n            ---\n            apiVersion: node.eks.aws/v1alpha1\n            kind: NodeConfig\n            spec:\n              cluster:\n                name: ${Cluster}\n                apiServerEndpoint: ${Cluster.Endpoint}\n                certificateAuthority: ${Cluster.CertificateAuthorityData}\n                cidr: 10.100.0.0/16\n\n            --BOUNDARY--\n',
    },
  },
  check(ctx) {
    const tpl = ctx.template;
    const mappings = get(tpl.root, 'Mappings');
    const check = (res: Resource, data: MapNode | undefined, what: string) => {
      const text = userDataText(get(data, 'UserData'));
      if (!text || !EKS_NODE_BOOTSTRAP.test(text)) return;
      const image = pair(data, 'ImageId');
      const nodegroup = tpl.referencesTo(res.id).some((e) => e.from.type === 'AWS::EKS::Nodegroup');
      // Per branch of ImageId: a literal AMI id, or the hard-coded ids of the Mappings entries a Fn::FindInMap reads.
      const hits = branches(image?.value).flatMap((b) => {
        const ami = literal(b);
        if (ami !== undefined) return AMI_ID.test(ami) ? [{ node: b, amis: [ami], entries: [] as Array<MapEntry & { ami: string }> }] : [];
        const entries = (findInMapEntries(mappings, b) ?? []).flatMap((e) => {
          const v = literal(e.node);
          return v !== undefined && AMI_ID.test(v) ? [{ ...e, ami: v }] : [];
        });
        return entries.length ? [{ node: b, amis: [...new Set(entries.map((e) => e.ami))], entries }] : [];
      });
      if (!image || !hits.length) return;
      // One finding per ImageId: at the branch when only one branch is hard-coded.
      const node: Node = hits.length === 1 ? hits[0].node : image.value;
      const amis = [...new Set(hits.flatMap((h) => h.amis))];
      const entries = hits.flatMap((h) => h.entries);
      const maps = [...new Set(entries.map((e) => e.path.split(/[. ]/)[0]))];
      const ami = !entries.length || amis.length === 1 ? `AMI ${amis.join(' / ')}${maps.length ? ` (mapping ${maps.join(', ')})` : ''}` : `AMI mapping ${maps.join(', ')}`;
      const related = entries.map((e) => ({ node: e.node, message: `Mapping entry ${e.path}: hard-coded ${e.ami}` }));
      ctx.report({
        node,
        messageId: nodegroup ? 'managedNodeGroup' : AL2_BOOTSTRAP.test(text) ? 'selfManagedAl2' : 'selfManaged',
        values: { what, resource: ctx.name(res), ami },
        related,
        data: { fix: 'eks-optimized-ami-ssm', resource: res.id },
      });
    };
    for (const lt of tpl.byType('AWS::EC2::LaunchTemplate')) {
      for (const data of branches(get(lt.properties, 'LaunchTemplateData'))) check(lt, asMap(data), 'Launch template');
    }
    for (const lc of tpl.byType('AWS::AutoScaling::LaunchConfiguration')) check(lc, lc.properties, 'Launch configuration');
  },
});
