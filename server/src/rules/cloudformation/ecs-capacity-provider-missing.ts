// Auto Scaling groups of ECS container instances that no capacity provider manages.
import { defineRule } from '../../engine/rule';
import { get } from '../../documents/nodes';
import { referencesIn } from '../../model/intrinsics';
import type { Resource } from '../../model/template';
import { AUTO_SCALING_GROUP, CAPACITY_PROVIDER, capacityProviderGroups, groupScalers, handledByOtherStack, joinsEcsCluster, launchSourcesOf } from '../ecs';

/** What can attach a capacity provider to a cluster (or use it) in another stack. */
const ATTACHERS = ['AWS::ECS::ClusterCapacityProviderAssociations', 'AWS::ECS::Cluster', 'AWS::ECS::Service'];

/**
 * Capacity providers of the template that no cluster can be using: nothing in the template refers to them,
 * they have no `Name` another stack could attach them by, and they are handed to no stack that may.
 */
function unattachedProviders(ctx: Parameters<typeof handledByOtherStack>[0], asg: Resource): Resource[] {
  const tpl = ctx.template;
  return tpl.byType(CAPACITY_PROVIDER).filter(
    (cp) =>
      referencesIn(get(get(cp.properties, 'AutoScalingGroupProvider'), 'AutoScalingGroupArn')).some((r) => r.target === asg.id) &&
      get(cp.properties, 'Name') === undefined &&
      tpl.referencesTo(cp.id).length === 0 &&
      !handledByOtherStack(ctx, cp, ATTACHERS),
  );
}

export default defineRule({
  meta: {
    id: 'ecs-capacity-provider-missing',
    title: 'ECS container instance group has no capacity provider',
    severity: 'info',
    kb: 'ecs-ec2-capacity',
    appliesTo: ['cloudformation'],
    fixes: ['add-capacity-provider'],
    description:
      'On the EC2 launch type, scaling a service out only helps if the cluster has room for the new tasks: the instance fleet has to grow with them, or tasks stay pending. The answer is an **ECS capacity provider** linked to the Auto Scaling group, with **managed scaling**, so ECS itself sizes the group from task demand. Scaling the group on average CPU is the simpler alternative, but it reacts to instance load rather than to tasks waiting for placement.',
    fix: 'Add an `AWS::ECS::CapacityProvider` whose `AutoScalingGroupProvider.AutoScalingGroupArn` references the group, with `ManagedScaling: { Status: ENABLED, TargetCapacity: 100 }` (and `ManagedTerminationProtection: ENABLED` with `NewInstancesProtectedFromScaleIn: true` on the group), attach it to the cluster with `AWS::ECS::ClusterCapacityProviderAssociations`, and have services use it through `CapacityProviderStrategy`. Remove competing scaling policies from the group. In CDK: `cluster.addAsgCapacityProvider(new ecs.AsgCapacityProvider(...))`.\n\nA capacity provider that nothing attaches to a cluster scales nothing: one that the template never refers to, has no `Name` and hands to no other stack is reported too.\n\nA group the template hands to another stack (an output, an export, a nested stack parameter) is reported unless a stack of the workspace puts a capacity provider on it, or the consumer cannot be ruled out (a nested template not in the workspace, an export no workspace file imports). An output nobody nests or imports does not silence the finding.',
    messages: {
      noCapacityProvider: 'Auto Scaling group {{group}} of ECS container instances has no capacity provider',
      ownScaling: 'Auto Scaling group {{group}} of ECS container instances scales on {{scalers}}, not on the tasks to place',
      unattached: 'Capacity provider {{provider}} is attached to no cluster, so tasks never scale {{group}}',
    },
    details: {
      noCapacityProvider: 'Without a capacity provider the group does not grow with the tasks the cluster has to place, so scaled-out tasks can stay pending. {{how}} Nothing in this template or in a stack of the workspace it hands the group to does this.',
      unattached:
        'A capacity provider sizes its Auto Scaling group only for the clusters it is associated with, from the tasks of the services (or the cluster default strategy) that use it. Nothing in this template refers to {{provider}}, and without a `Name` no other stack can attach it, so the group keeps its own size and tasks that do not fit stay pending. {{attach}}',
      ownScaling: 'The group does grow and shrink, through {{scalers}}, but on instance metrics, alarms or a schedule: tasks that do not fit wait until those react, and a scale-in can stop instances that still run tasks. A capacity provider with managed scaling sizes the group from the tasks waiting for placement and protects busy instances; with it you would remove these policies. {{how}}',
    },
    example: {
      fires: 'Resources:\n  Cluster:\n    Type: AWS::ECS::Cluster\n  InstanceTemplate:\n    Type: AWS::EC2::LaunchTemplate\n    Properties:\n      LaunchTemplateData:\n        ImageId: !Ref EcsAmi\n        IamInstanceProfile: { Arn: !GetAtt InstanceProfile.Arn }\n        UserData: !Base64 { "Fn::Sub": "#!/bin/bash\\necho ECS_CLUSTER=${Cluster} >> /etc/ecs/ecs.config\\n" }\n  Instances:\n    Type: AWS::AutoScaling::AutoScalingGroup\n    Properties:\n      MinSize: "1"\n      MaxSize: "10"\n      LaunchTemplate: { LaunchTemplateId: !Ref InstanceTemplate, Version: !GetAtt InstanceTemplate.LatestVersionNumber }\n',
      fixed: 'Resources:\n  Cluster:\n    Type: AWS::ECS::Cluster\n  InstanceTemplate:\n    Type: AWS::EC2::LaunchTemplate\n    Properties:\n      LaunchTemplateData:\n        ImageId: !Ref EcsAmi\n        IamInstanceProfile: { Arn: !GetAtt InstanceProfile.Arn }\n        UserData: !Base64 { "Fn::Sub": "#!/bin/bash\\necho ECS_CLUSTER=${Cluster} >> /etc/ecs/ecs.config\\n" }\n  Instances:\n    Type: AWS::AutoScaling::AutoScalingGroup\n    Properties:\n      MinSize: "1"\n      MaxSize: "10"\n      LaunchTemplate: { LaunchTemplateId: !Ref InstanceTemplate, Version: !GetAtt InstanceTemplate.LatestVersionNumber }\n  InstancesCapacityProvider:\n    Type: AWS::ECS::CapacityProvider\n    Properties:\n      Name: !Sub "cp-${AWS::StackName}-InstancesCapacityProvider"\n      AutoScalingGroupProvider:\n        AutoScalingGroupArn: !Ref Instances\n        ManagedScaling:\n          Status: ENABLED\n          TargetCapacity: 100\n        ManagedTerminationProtection: DISABLED\n  ClusterCapacityProviders:\n    Type: AWS::ECS::ClusterCapacityProviderAssociations\n    Properties:\n      Cluster: !Ref Cluster\n      CapacityProviders: [!Ref InstancesCapacityProvider]\n      DefaultCapacityProviderStrategy:\n        - CapacityProvider: !Ref InstancesCapacityProvider\n          Weight: 1\n',
    },
  },
  check(ctx) {
    const tpl = ctx.template;
    const managed = capacityProviderGroups(tpl);
    const how = ctx.file.kind === 'cdk'
      ? 'Wrap the group in an `ecs.AsgCapacityProvider` (managed scaling is on by default) and add it with `cluster.addAsgCapacityProvider(provider)`; services then use it through `capacityProviderStrategies`.'
      : "Add an `AWS::ECS::CapacityProvider` for this group with `ManagedScaling: { Status: ENABLED }`, associate it with the cluster and use it in the services' `CapacityProviderStrategy`.";
    const attach = ctx.file.kind === 'cdk'
      ? 'Add it to the cluster with `cluster.addAsgCapacityProvider(provider)`.'
      : 'Attach it with an `AWS::ECS::ClusterCapacityProviderAssociations` for the cluster (listing it in `CapacityProviders` and a `DefaultCapacityProviderStrategy`), or use it in the services\' `CapacityProviderStrategy`.';
    for (const asg of tpl.byType(AUTO_SCALING_GROUP)) {
      if (!launchSourcesOf(tpl, asg).some(joinsEcsCluster)) continue;
      if (managed.includes(asg)) {
        for (const cp of unattachedProviders(ctx, asg)) ctx.report({ node: cp.key, messageId: 'unattached', values: { provider: ctx.name(cp), group: ctx.name(asg), attach } });
        continue;
      }
      // Handed to another stack, which may attach the capacity provider.
      if (handledByOtherStack(ctx, asg, ['AWS::ECS::CapacityProvider'])) continue;
      const data = { fix: 'add-capacity-provider', resource: asg.id };
      const scalers = groupScalers(tpl, asg);
      // A group with its own scaling policies does grow: a hint that a capacity provider would scale it better.
      if (scalers.length) {
        const names = scalers.map((s) => s.id).join(', ');
        ctx.report({ node: asg.key, messageId: 'ownScaling', severity: 'hint', values: { group: ctx.name(asg), scalers: names, how }, data });
      } else {
        ctx.report({ node: asg.key, messageId: 'noCapacityProvider', values: { group: ctx.name(asg), how }, data });
      }
    }
  },
});
