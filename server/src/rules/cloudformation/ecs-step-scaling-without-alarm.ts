// Step scaling policies that no CloudWatch alarm triggers.
import { get, pair } from '../../documents/nodes';
import { literal, literalValues } from '../../model/intrinsics';
import { defineRule } from '../../engine/rule';
import type { Resource, Template } from '../../model/template';
import { handledByOtherStack, SCALABLE_TARGET, SCALING_POLICY } from '../ecs';

/**
 * True when a scaling policy scales an ECS service: its own `ServiceNamespace: ecs` or
 * `ScalableDimension: ecs:service:DesiredCount`, or a `ScalingTargetId` pointing at an ECS scalable target.
 */
function scalesEcs(tpl: Template, policy: Resource): boolean {
  const isEcs = (res: Resource) =>
    literalValues(get(res.properties, 'ServiceNamespace'))?.includes('ecs') || literalValues(get(res.properties, 'ScalableDimension'))?.includes('ecs:service:DesiredCount');
  if (isEcs(policy)) return true;
  return tpl.targets(get(policy.properties, 'ScalingTargetId')).some((t) => t.type === SCALABLE_TARGET && isEcs(t));
}

const ALARMS = ['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm'];

export default defineRule({
  meta: {
    id: 'ecs-step-scaling-without-alarm',
    title: 'Step scaling policy without a CloudWatch alarm',
    severity: 'warning',
    kb: 'ecs-auto-scaling',
    appliesTo: ['cloudformation'],
    description:
      'Step scaling reacts when a particular CloudWatch alarm fires, adding or removing tasks in steps. The policy does nothing on its own: an `AWS::CloudWatch::Alarm` must list it in `AlarmActions`, and a step policy that no alarm triggers never runs.',
    fix: 'Add an `AWS::CloudWatch::Alarm` on the metric that should drive the scaling (e.g. `CPUUtilization` of the service in `AWS/ECS`) with `AlarmActions: [!Ref ThePolicy]`, or use a `TargetTrackingScaling` policy, which creates and manages its alarms itself.',
    messages: {
      noAlarm: 'Step scaling policy {{policy}} is in no CloudWatch alarm\'s AlarmActions, so it never runs',
    },
    details: {
      noAlarm: 'Step scaling only acts when a CloudWatch alarm fires. {{how}}',
    },
    example: {
      fires: 'Resources:\n  ScaleOut:\n    Type: AWS::ApplicationAutoScaling::ScalingPolicy\n    Properties:\n      PolicyName: scale-out\n      PolicyType: StepScaling\n      ScalingTargetId: !Ref ScalableTarget\n      StepScalingPolicyConfiguration:\n        AdjustmentType: ChangeInCapacity\n        StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }]\n  ScalableTarget:\n    Type: AWS::ApplicationAutoScaling::ScalableTarget\n    Properties:\n      ServiceNamespace: ecs\n      ScalableDimension: ecs:service:DesiredCount\n      ResourceId: service/prod/api\n      MinCapacity: 1\n      MaxCapacity: 4\n',
      fixed: 'Resources:\n  ScaleOut:\n    Type: AWS::ApplicationAutoScaling::ScalingPolicy\n    Properties:\n      PolicyName: scale-out\n      PolicyType: StepScaling\n      ScalingTargetId: !Ref ScalableTarget\n      StepScalingPolicyConfiguration:\n        AdjustmentType: ChangeInCapacity\n        StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }]\n  HighCpu:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      Namespace: AWS/ECS\n      MetricName: CPUUtilization\n      Statistic: Average\n      Period: 60\n      EvaluationPeriods: 3\n      Threshold: 70\n      ComparisonOperator: GreaterThanThreshold\n      AlarmActions: [!Ref ScaleOut]\n  ScalableTarget:\n    Type: AWS::ApplicationAutoScaling::ScalableTarget\n    Properties:\n      ServiceNamespace: ecs\n      ScalableDimension: ecs:service:DesiredCount\n      ResourceId: service/prod/api\n      MinCapacity: 1\n      MaxCapacity: 4\n',
    },
  },
  check(ctx) {
    const tpl = ctx.template;
    for (const policy of tpl.byType(SCALING_POLICY)) {
      const type = pair(policy.properties, 'PolicyType');
      if (!type || literal(type.value) !== 'StepScaling') continue;
      if (!scalesEcs(tpl, policy)) continue;
      if (tpl.referencesTo(policy.id).some((e) => ALARMS.includes(e.from.type))) continue;
      // Handed to another stack, whose alarms may trigger it.
      if (handledByOtherStack(ctx, policy, ['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm'])) continue;
      ctx.report({
        node: type.value,
        messageId: 'noAlarm',
        values: {
          policy: ctx.name(policy),
          how: ctx.file.kind === 'cdk'
            ? 'In CDK, `scalableTaskCount.scaleOnMetric()` creates the policy together with its alarms; or use `scaleOnCpuUtilization()` (target tracking).'
            : `Add an \`AWS::CloudWatch::Alarm\` on the metric that should drive scaling with \`AlarmActions: [!Ref ${policy.id}]\`, or use a \`TargetTrackingScaling\` policy, which manages its own alarms.`,
        },
        data: { resource: policy.id },
      });
    }
  },
});
