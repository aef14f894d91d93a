// Every rule, listed explicitly and sorted by id (bundlers cannot scan folders).
import type { Rule } from './rule';
import ecsTaskRoleMissing from '../rules/cloudformation/ecs-task-role-missing';
import elbClassicNotRecommended from '../rules/cloudformation/elb-classic-not-recommended';
import volumeS3NotMountable from '../rules/cloudformation/volume-s3-not-mountable';
import ecsFargateNetworkMode from '../rules/cloudformation/ecs-fargate-network-mode';
import ecsFargateHostVolume from '../rules/cloudformation/ecs-fargate-host-volume';
import ecsFargateTaskSize from '../rules/cloudformation/ecs-fargate-task-size';
import ecsExecutionRoleMissing from '../rules/cloudformation/ecs-execution-role-missing';
import ecsLaunchTypeMismatch from '../rules/cloudformation/ecs-launch-type-mismatch';

export const RULES: readonly Rule[] = [
  ecsTaskRoleMissing,
  elbClassicNotRecommended,
  volumeS3NotMountable,
  ecsFargateNetworkMode,
  ecsFargateHostVolume,
  ecsFargateTaskSize,
  ecsExecutionRoleMissing,
  ecsLaunchTypeMismatch,
].sort((a, b) => a.meta.id.localeCompare(b.meta.id));

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}
