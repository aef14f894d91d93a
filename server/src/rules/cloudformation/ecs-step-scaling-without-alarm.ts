// Step scaling policies that no CloudWatch alarm triggers.
import { pair } from '../../documents/nodes';
import { literal } from '../../model/intrinsics';
import { defineRule } from '../../engine/rule';
import { isSharedWithOtherStacks, SCALING_POLICY } from '../ecs';

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
      noAlarm: 'Step scaling policy {{policy}} is not in the AlarmActions of any CloudWatch alarm, so it never runs: step scaling only acts when an alarm fires. Add an AWS::CloudWatch::Alarm with AlarmActions: [!Ref {{policyId}}], or use target tracking instead.',
    },
    example: {
      fires: 'Resources:\n  ScaleOut:\n    Type: AWS::ApplicationAutoScaling::ScalingPolicy\n    Properties:\n      PolicyName: scale-out\n      PolicyType: StepScaling\n      ScalingTargetId: !Ref ScalableTarget\n      StepScalingPolicyConfiguration:\n        AdjustmentType: ChangeInCapacity\n        StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }]\n',
      fixed: 'Resources:\n  ScaleOut:\n    Type: AWS::ApplicationAutoScaling::ScalingPolicy\n    Properties:\n      PolicyName: scale-out\n      PolicyType: StepScaling\n      ScalingTargetId: !Ref ScalableTarget\n      StepScalingPolicyConfiguration:\n        AdjustmentType: ChangeInCapacity\n        StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }]\n  HighCpu:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      Namespace: AWS/ECS\n      MetricName: CPUUtilization\n      Statistic: Average\n      Period: 60\n      EvaluationPeriods: 3\n      Threshold: 70\n      ComparisonOperator: GreaterThanThreshold\n      AlarmActions: [!Ref ScaleOut]\n',
    },
  },
  check(ctx) {
    const tpl = ctx.template;
    for (const policy of tpl.byType(SCALING_POLICY)) {
      const type = pair(policy.properties, 'PolicyType');
      if (!type || literal(type.value) !== 'StepScaling') continue;
      if (tpl.referencesTo(policy.id).some((e) => ALARMS.includes(e.from.type))) continue;
      // Handed to another stack, whose alarms may trigger it.
      if (isSharedWithOtherStacks(tpl, policy)) continue;
      ctx.report({
        node: type.value,
        messageId: 'noAlarm', values: { policy: ctx.name(policy), policyId: policy.id },
        data: { resource: policy.id },
      });
    }
  },
});
