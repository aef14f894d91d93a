// Self-managed EKS nodes booted from a hard-coded AMI id.
import { asMap, get, pair, type MapNode } from '../../documents/nodes';
import { branches, literal, userDataText } from '../../model/intrinsics';
import type { Resource } from '../../model/template';
import { defineRule } from '../../engine/rule';

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
      'Self-managed EKS nodes run in your own Auto Scaling group from a launch template whose user data runs the node bootstrap, and **you own AMI updates**. The KB points to the prebuilt **Amazon EKS optimized AMI** as the base. A literal `ami-...` id is tied to one region and one Kubernetes version, and silently falls behind on security patches; AWS publishes the current EKS optimized AMI id as a public SSM parameter. **Managed node groups** take AMI updates off your hands entirely.',
    fix: 'Resolve the AMI from the public SSM parameter, e.g. `ImageId: \'{{resolve:ssm:/aws/service/eks/optimized-ami/1.31/amazon-linux-2023/x86_64/standard/recommended/image_id}}\'`, or through a parameter of type `AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>` with that name as default. Or replace the nodes with an `AWS::EKS::Nodegroup` (managed node group), which picks the AMI through `AmiType`.',
    messages: {
      managedNodeGroup: '{{what}} {{resource}} gives its managed node group a hard-coded {{ami}}, so you own its updates: resolve the Amazon EKS optimized AMI from its public SSM parameter ({{resolve:ssm:/aws/service/eks/optimized-ami/...}} or an AWS::SSM::Parameter::Value<AWS::EC2::Image::Id> parameter), or drop ImageId and let the node group pick the AMI through AmiType.',
      selfManaged: '{{what}} {{resource}} boots self-managed EKS nodes from a hard-coded {{ami}}, which falls behind on updates: resolve the Amazon EKS optimized AMI from its public SSM parameter ({{resolve:ssm:/aws/service/eks/optimized-ami/...}} or an AWS::SSM::Parameter::Value<AWS::EC2::Image::Id> parameter), or use managed node groups.',
    },
    example: {
      fires:
        'Resources:\n  NodeTemplate:\n    Type: AWS::EC2::LaunchTemplate\n    Properties:\n      LaunchTemplateData:\n        ImageId: ami-0123456789abcdef0\n        UserData:\n          Fn::Base64: !Sub "#!/bin/bash\\n/etc/eks/bootstrap.sh ${Cluster}\\n"\n',
      fixed:
        'Resources:\n  NodeTemplate:\n    Type: AWS::EC2::LaunchTemplate\n    Properties:\n      LaunchTemplateData:\n        ImageId: "{{resolve:ssm:/aws/service/eks/optimized-ami/1.31/amazon-linux-2/recommended/image_id}}"\n        UserData:\n          Fn::Base64: !Sub "#!/bin/bash\\n/etc/eks/bootstrap.sh ${Cluster}\\n"\n',
    },
  },
  check(ctx) {
    const tpl = ctx.template;
    const check = (res: Resource, data: MapNode | undefined, what: string) => {
      const text = userDataText(get(data, 'UserData'));
      if (!text || !EKS_NODE_BOOTSTRAP.test(text)) return;
      const image = pair(data, 'ImageId');
      const nodegroup = tpl.referencesTo(res.id).some((e) => e.from.type === 'AWS::EKS::Nodegroup');
      const amis = branches(image?.value).flatMap((b) => {
        const ami = literal(b);
        return ami !== undefined && AMI_ID.test(ami) ? [{ node: b, ami }] : [];
      });
      if (!image || !amis.length) return;
      // One finding per ImageId: at the branch when only one branch of an `Fn::If` is hard-coded.
      const node = amis.length === 1 ? amis[0].node : image.value;
      const ami = `AMI ${amis.map((a) => a.ami).join(' / ')}`;
      ctx.report({
        node,
        messageId: nodegroup ? 'managedNodeGroup' : 'selfManaged',
        values: { what, resource: ctx.name(res), ami },
        data: { fix: 'eks-optimized-ami-ssm', resource: res.id },
      });
    };
    for (const lt of tpl.byType('AWS::EC2::LaunchTemplate')) {
      for (const data of branches(get(lt.properties, 'LaunchTemplateData'))) check(lt, asMap(data), 'Launch template');
    }
    for (const lc of tpl.byType('AWS::AutoScaling::LaunchConfiguration')) check(lc, lc.properties, 'Launch configuration');
  },
});
