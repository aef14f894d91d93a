// Every rule, listed explicitly and sorted by id (bundlers cannot scan folders).
import type { Rule } from './rule';
import ecsTaskRoleMissing from '../rules/cloudformation/ecs-task-role-missing';
import elbClassicNotRecommended from '../rules/cloudformation/elb-classic-not-recommended';
import volumeS3NotMountable from '../rules/cloudformation/volume-s3-not-mountable';

export const RULES: readonly Rule[] = [
  ecsTaskRoleMissing,
  elbClassicNotRecommended,
  volumeS3NotMountable,
].sort((a, b) => a.meta.id.localeCompare(b.meta.id));

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}
