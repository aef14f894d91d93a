// The built-in rules, one file per rule, listed once and sorted by id (bundlers cannot scan folders).
// The engine runs whatever rules it is given; the CLI and the server give it these (and team rules).
import type { Rule } from '../engine/rule';
import { teamRuleById } from '../team/registry';
import apprunnerEcrAccessRoleMissing from './cloudformation/apprunner-ecr-access-role-missing';
import apprunnerVpcEgressMissing from './cloudformation/apprunner-vpc-egress-missing';
import ecrLifecyclePolicyMissing from './cloudformation/ecr-lifecycle-policy-missing';
import ecrScanOnPushDisabled from './cloudformation/ecr-scan-on-push-disabled';
import ecrTagsMutable from './cloudformation/ecr-tags-mutable';
import ecsCapacityProviderMissing from './cloudformation/ecs-capacity-provider-missing';
import ecsExecutionRoleMissing from './cloudformation/ecs-execution-role-missing';
import ecsFargateHostVolume from './cloudformation/ecs-fargate-host-volume';
import ecsFargateNetworkMode from './cloudformation/ecs-fargate-network-mode';
import ecsFargateTaskSize from './cloudformation/ecs-fargate-task-size';
import ecsInstanceProfileMissing from './cloudformation/ecs-instance-profile-missing';
import ecsLaunchTypeMismatch from './cloudformation/ecs-launch-type-mismatch';
import ecsServiceAutoscalingMissing from './cloudformation/ecs-service-autoscaling-missing';
import ecsStepScalingWithoutAlarm from './cloudformation/ecs-step-scaling-without-alarm';
import ecsTaskRoleMissing from './cloudformation/ecs-task-role-missing';
import ecsTaskRoleShared from './cloudformation/ecs-task-role-shared';
import eksContainerInsightsMissing from './cloudformation/eks-container-insights-missing';
import eksNodegroupAl2Ami from './cloudformation/eks-nodegroup-al2-ami';
import eksSelfManagedAmi from './cloudformation/eks-self-managed-ami';
import elbClassicNotRecommended from './cloudformation/elb-classic-not-recommended';
import elbPrivatelinkRequiresNlb from './cloudformation/elb-privatelink-requires-nlb';
import imageFromDockerHub from './cloudformation/image-from-docker-hub';
import k8sHostpathVolume from './kubernetes/k8s-hostpath-volume';
import k8sInTreeEbs from './kubernetes/k8s-in-tree-ebs';
import k8sRwxOnEbs from './kubernetes/k8s-rwx-on-ebs';
import k8sS3Volume from './kubernetes/k8s-s3-volume';
import k8sServiceClassicLb from './kubernetes/k8s-service-classic-lb';
import k8sStorageclassUnknownProvisioner from './kubernetes/k8s-storageclass-unknown-provisioner';
import volumeS3NotMountable from './cloudformation/volume-s3-not-mountable';

export const RULES: readonly Rule[] = [
  apprunnerEcrAccessRoleMissing,
  apprunnerVpcEgressMissing,
  ecrLifecyclePolicyMissing,
  ecrScanOnPushDisabled,
  ecrTagsMutable,
  ecsCapacityProviderMissing,
  ecsExecutionRoleMissing,
  ecsFargateHostVolume,
  ecsFargateNetworkMode,
  ecsFargateTaskSize,
  ecsInstanceProfileMissing,
  ecsLaunchTypeMismatch,
  ecsServiceAutoscalingMissing,
  ecsStepScalingWithoutAlarm,
  ecsTaskRoleMissing,
  ecsTaskRoleShared,
  eksContainerInsightsMissing,
  eksNodegroupAl2Ami,
  eksSelfManagedAmi,
  elbClassicNotRecommended,
  elbPrivatelinkRequiresNlb,
  imageFromDockerHub,
  k8sHostpathVolume,
  k8sInTreeEbs,
  k8sRwxOnEbs,
  k8sS3Volume,
  k8sServiceClassicLb,
  k8sStorageclassUnknownProvisioner,
  volumeS3NotMountable,
];

const BY_ID = new Map(RULES.map((r) => [r.meta.id, r]));

export function ruleById(id: string): Rule | undefined {
  // Team rules (loaded from the project's rule files) are looked up too: fixes, hovers and articles.
  return BY_ID.get(id) ?? teamRuleById(id);
}
