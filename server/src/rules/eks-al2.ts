// Amazon Linux 2 node images on EKS: the managed node group AMI types and eksctl AMI families that boot AL2,
// and what replaces each. AWS stopped publishing AL2 EKS optimized AMIs on 26 November 2025 (Kubernetes 1.32
// was the last version with them): Amazon Linux 2023 or Bottlerocket replace them.
import { asMap, get } from '../documents/nodes';
import { branches, userDataText } from '../model/intrinsics';
import type { Resource, Template } from '../model/template';

/** `AWS::EKS::Nodegroup` `AmiType` values of Amazon Linux 2, and their Amazon Linux 2023 counterparts. */
export const AL2_AMI_TYPES: Readonly<Record<string, string>> = {
  AL2_x86_64: 'AL2023_x86_64_STANDARD',
  AL2_ARM_64: 'AL2023_ARM_64_STANDARD',
  AL2_x86_64_GPU: 'AL2023_x86_64_NVIDIA',
};

/** The AL2023 AMI type for an AL2 one; undefined for any other value. */
export function al2023AmiType(amiType: string | undefined): string | undefined {
  return amiType !== undefined && Object.hasOwn(AL2_AMI_TYPES, amiType) ? AL2_AMI_TYPES[amiType] : undefined;
}

/** The `eks.NodegroupAmiType` member CDK spells an AMI type with (`AL2023_X86_64_STANDARD`). */
export function cdkAmiType(amiType: string): string {
  return `eks.NodegroupAmiType.${amiType.toUpperCase()}`;
}

const LAUNCH_TEMPLATE = 'AWS::EC2::LaunchTemplate';
/** The Amazon Linux 2 bootstrap script in user data: AL2023 nodes join through nodeadm instead. */
export const AL2_BOOTSTRAP = /\/etc\/eks\/bootstrap\.sh/;

/**
 * Whether a node group's launch template user data calls the AL2 bootstrap script: `none` without a launch
 * template or with one of this template that has no such call, `bootstrap` when it has, `unknown` otherwise.
 */
export function launchTemplateBootstrap(tpl: Template, ng: Resource): 'none' | 'bootstrap' | 'unknown' {
  const spec = asMap(get(ng.properties, 'LaunchTemplate'));
  if (!spec) return 'none';
  const lt = tpl.targets(get(spec, 'Id') ?? get(spec, 'Name')).find((r) => r.type === LAUNCH_TEMPLATE);
  if (!lt) return 'unknown';
  const data = branches(get(lt.properties, 'LaunchTemplateData')).map(asMap);
  const userData = data.map((d) => get(d, 'UserData')).filter((u) => u !== undefined);
  if (!userData.length) return 'none';
  const texts = userData.map((u) => userDataText(u));
  if (texts.some((t) => t === undefined)) return 'unknown';
  return texts.some((t) => AL2_BOOTSTRAP.test(t!)) ? 'bootstrap' : 'none';
}
