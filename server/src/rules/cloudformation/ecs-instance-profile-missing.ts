// Launch templates and launch configurations of ECS container instances without an instance profile.
import { pair } from '../../documents/nodes';
import { branches } from '../../model/intrinsics';
import { defineRule } from '../../engine/rule';
import {
  AUTO_SCALING_GROUP,
  capacityProviderGroups,
  handledByOtherStack,
  hasProperty,
  isCdk,
  instanceSettings,
  joinsEcsCluster,
  LAUNCH_CONFIGURATION,
  LAUNCH_TEMPLATE,
  launchSourcesOf,
} from '../ecs';

export default defineRule({
  meta: {
    id: 'ecs-instance-profile-missing',
    title: 'ECS container instances need an instance profile',
    severity: 'error',
    kb: 'ecs-iam-roles',
    appliesTo: ['cloudformation'],
    fixes: ['add-instance-profile'],
    description:
      'On the EC2 launch type, the ECS agent on each container instance works with the **EC2 instance profile**: it uses it to register with the cluster through the ECS API, pull images from ECR, push container logs to CloudWatch Logs and resolve secrets from Secrets Manager or SSM Parameter Store. A launch template or launch configuration for container instances (its user data joins an ECS cluster, or its Auto Scaling group backs an ECS capacity provider) without `IamInstanceProfile` starts instances that never join the cluster. A launch template that nothing in the template launches from (or hands to another stack) is a warning: AWS Batch, for one, sets its own instance role.',
    fix: 'Add an `AWS::IAM::InstanceProfile` wrapping a role trusted by `ec2.amazonaws.com` with the `AmazonEC2ContainerServiceforEC2Role` managed policy (or equivalent), and reference it from `LaunchTemplateData.IamInstanceProfile` (`Arn` or `Name`) or the launch configuration\'s `IamInstanceProfile`.',
    messages: {
      noInstanceProfile: '{{what}} {{resource}} starts ECS container instances but has no IamInstanceProfile',
      noLauncher: '{{what}} {{resource}} is for ECS container instances but has no IamInstanceProfile',
    },
    details: {
      noInstanceProfile: 'The instances join an ECS cluster ({{why}}). The ECS agent needs the instance profile to register with the cluster, pull images from ECR and send logs: without it the instances never appear in the cluster. Set {{property}} to an instance profile whose role has AmazonEC2ContainerServiceforEC2Role.',
      noLauncher:
        'The instances would join an ECS cluster ({{why}}), but nothing in this template launches from it: whoever does decides. An AWS Batch compute environment sets its own instance role, which makes this moot; an Auto Scaling group or EC2 Fleet elsewhere takes the launch template\'s, and without one the instances never appear in the cluster. Set {{property}} to an instance profile whose role has AmazonEC2ContainerServiceforEC2Role unless Batch launches it.',
    },
    example: {
      fires: 'Resources:\n  InstanceTemplate:\n    Type: AWS::EC2::LaunchTemplate\n    Properties:\n      LaunchTemplateData:\n        ImageId: !Ref EcsAmi\n        UserData: !Base64 { "Fn::Sub": "#!/bin/bash\\necho ECS_CLUSTER=${Cluster} >> /etc/ecs/ecs.config\\n" }\n',
      fixed: 'Resources:\n  InstanceTemplate:\n    Type: AWS::EC2::LaunchTemplate\n    Properties:\n      LaunchTemplateData:\n        ImageId: !Ref EcsAmi\n        IamInstanceProfile: { Arn: !GetAtt InstanceProfile.Arn }\n        UserData: !Base64 { "Fn::Sub": "#!/bin/bash\\necho ECS_CLUSTER=${Cluster} >> /etc/ecs/ecs.config\\n" }\n',
    },
  },
  check(ctx) {
    const tpl = ctx.template;
    const backing = new Set(capacityProviderGroups(tpl).flatMap((asg) => launchSourcesOf(tpl, asg)));
    for (const res of tpl.byType(LAUNCH_TEMPLATE, LAUNCH_CONFIGURATION)) {
      const settings = instanceSettings(res);
      if (!settings) continue;
      const why = joinsEcsCluster(res) ? 'its user data joins an ECS cluster' : backing.has(res) ? 'its Auto Scaling group backs an ECS capacity provider' : undefined;
      if (!why) continue;
      const profile = pair(settings, 'IamInstanceProfile');
      if (profile && branches(profile.value).length) continue;
      // The profile can come from whoever starts the instances: an instance that sets its own, or AWS Batch (InstanceRole).
      if (tpl.referencesTo(res.id).some((e) => e.from.type === 'AWS::Batch::ComputeEnvironment' || (e.from.type === 'AWS::EC2::Instance' && hasProperty(e.from, 'IamInstanceProfile')))) continue;
      const kind = res.type === LAUNCH_TEMPLATE ? 'Launch template' : 'Launch configuration';
      const where = isCdk(ctx)
        ? res.type === LAUNCH_TEMPLATE ? '`role` (or `instanceProfile`) on the `ec2.LaunchTemplate`' : '`role` on the Auto Scaling group'
        : res.type === LAUNCH_TEMPLATE ? '`LaunchTemplateData.IamInstanceProfile`' : '`IamInstanceProfile`';
      // A launch template nothing here launches from (nor hands to a stack) is for someone else to start.
      const unlaunched = res.type === LAUNCH_TEMPLATE && tpl.referencesTo(res.id).length === 0 && !handledByOtherStack(ctx, res, [AUTO_SCALING_GROUP]);
      ctx.report({
        node: res.key,
        messageId: unlaunched ? 'noLauncher' : 'noInstanceProfile',
        severity: unlaunched ? 'warning' : undefined,
        values: { what: kind, resource: ctx.name(res), why, property: where },
        data: { fix: 'add-instance-profile', resource: res.id },
      });
    }
  },
});
