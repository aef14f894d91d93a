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
import apprunnerEcrAccessRoleMissing from '../rules/cloudformation/apprunner-ecr-access-role-missing';
import apprunnerVpcEgressMissing from '../rules/cloudformation/apprunner-vpc-egress-missing';
import ecrLifecyclePolicyMissing from '../rules/cloudformation/ecr-lifecycle-policy-missing';
import ecrScanOnPushDisabled from '../rules/cloudformation/ecr-scan-on-push-disabled';
import ecrTagsMutable from '../rules/cloudformation/ecr-tags-mutable';
import eksContainerInsightsMissing from '../rules/cloudformation/eks-container-insights-missing';
import eksSelfManagedAmi from '../rules/cloudformation/eks-self-managed-ami';
import elbPrivatelinkRequiresNlb from '../rules/cloudformation/elb-privatelink-requires-nlb';
import imageFromDockerHub from '../rules/cloudformation/image-from-docker-hub';
import k8sHostpathVolume from '../rules/kubernetes/k8s-hostpath-volume';
import k8sInTreeEbs from '../rules/kubernetes/k8s-in-tree-ebs';
import k8sRwxOnEbs from '../rules/kubernetes/k8s-rwx-on-ebs';
import k8sS3Volume from '../rules/kubernetes/k8s-s3-volume';
import k8sServiceClassicLb from '../rules/kubernetes/k8s-service-classic-lb';
import k8sStorageclassUnknownProvisioner from '../rules/kubernetes/k8s-storageclass-unknown-provisioner';
import ecsTaskRoleShared from '../rules/cloudformation/ecs-task-role-shared';
import ecsInstanceProfileMissing from '../rules/cloudformation/ecs-instance-profile-missing';
import ecsCapacityProviderMissing from '../rules/cloudformation/ecs-capacity-provider-missing';
import ecsServiceAutoscalingMissing from '../rules/cloudformation/ecs-service-autoscaling-missing';
import ecsStepScalingWithoutAlarm from '../rules/cloudformation/ecs-step-scaling-without-alarm';

export const RULES: readonly Rule[] = [
  ecsTaskRoleMissing,
  elbClassicNotRecommended,
  volumeS3NotMountable,
  ecsFargateNetworkMode,
  ecsFargateHostVolume,
  ecsFargateTaskSize,
  ecsExecutionRoleMissing,
  ecsLaunchTypeMismatch,
  apprunnerEcrAccessRoleMissing,
  apprunnerVpcEgressMissing,
  ecrLifecyclePolicyMissing,
  ecrScanOnPushDisabled,
  ecrTagsMutable,
  eksContainerInsightsMissing,
  eksSelfManagedAmi,
  elbPrivatelinkRequiresNlb,
  imageFromDockerHub,
  k8sHostpathVolume,
  k8sInTreeEbs,
  k8sRwxOnEbs,
  k8sS3Volume,
  k8sServiceClassicLb,
  k8sStorageclassUnknownProvisioner,
  ecsTaskRoleShared,
  ecsInstanceProfileMissing,
  ecsCapacityProviderMissing,
  ecsServiceAutoscalingMissing,
  ecsStepScalingWithoutAlarm,
].sort((a, b) => a.meta.id.localeCompare(b.meta.id));

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}
