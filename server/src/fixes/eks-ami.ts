// eks-self-managed-ami: resolve the Amazon EKS optimized AMI from its public SSM parameter instead of a
// hard-coded `ami-...`, for the Kubernetes version of the template's EKS cluster. The AMI family follows
// the user data: nodeadm (`NodeConfig`) -> Amazon Linux 2023; the AL2 `bootstrap.sh` -> Amazon Linux 2
// (out of support, published up to Kubernetes 1.32: moving to AL2023 means rewriting the user data for
// nodeadm, which is not a mechanical edit). Offered in place (`{{resolve:ssm:...}}`) or as a template
// parameter of type `AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>` with that default. Not offered
// when the version, the AMI family or the architecture cannot be told.
import { asMap, get, type MapNode, type ScalarNode } from '../documents/nodes';
import { branches, literal, userDataText } from '../model/intrinsics';
import type { Resource, Template } from '../model/template';
import { jsonInline, ref, yamlInline, type TextEdit } from './edit';
import { freeId } from './resources';
import { defineFix, findingResource, findingScalar, type Fix, type FixContext } from './types';

const LAUNCH_TEMPLATE = 'AWS::EC2::LaunchTemplate';
const LAUNCH_CONFIGURATION = 'AWS::AutoScaling::LaunchConfiguration';
const AMI_ID = /^ami-[0-9a-f]{8}([0-9a-f]{9})?$/;

export const eksOptimizedAmiSsm = defineFix<{ resource: string }>({
  id: 'eks-optimized-ami-ssm',
  summary: 'replaces the hard-coded `ImageId` with the Amazon EKS optimized AMI\'s public SSM parameter for the cluster\'s Kubernetes version (`{{resolve:ssm:/aws/service/eks/optimized-ami/<version>/amazon-linux-2023/x86_64/standard/recommended/image_id}}`, `arm64` for Graviton instance types), in place or as an `AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>` parameter. Offered when the template\'s EKS cluster sets `Version` and the user data is a `nodeadm` `NodeConfig`: user data that runs the Amazon Linux 2 `bootstrap.sh` needs the move to AL2023 first.',
  provide(ctx) {
    const tpl = ctx.template;
    const res = findingResource(ctx);
    const node = findingScalar(ctx);
    if (!tpl || !res || (res.type !== LAUNCH_TEMPLATE && res.type !== LAUNCH_CONFIGURATION) || !node || typeof node.value !== 'string' || !AMI_ID.test(node.value)) return [];
    const settings = settingsHolding(res, node.start);
    const version = clusterVersion(tpl);
    const path = settings && version && amiParameter(settings, version);
    if (!path) return [];
    const fixes: Fix[] = [{
      title: `Resolve the EKS optimized AMI from SSM: ${path}`,
      preferred: true,
      edits: [ctx.editor.replaceScalar(node, `{{resolve:ssm:${path}}}`)],
    }];
    const param = parameterEdits(ctx, tpl, path);
    if (param) fixes.push({ title: `Take the AMI from a parameter ${param.id} (AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>, default ${path})`, edits: [param.edit, ...replaceWithRef(ctx, node, param.id)] });
    return fixes;
  },
});

/** The launch template data (or launch configuration properties) that holds an offset. */
function settingsHolding(res: Resource, offset: number): MapNode | undefined {
  if (res.type === LAUNCH_CONFIGURATION) return res.properties;
  return branches(get(res.properties, 'LaunchTemplateData')).map(asMap).find((m): m is MapNode => !!m && m.start <= offset && offset <= m.end);
}

/** The one Kubernetes version the template's EKS clusters set (`1.31`), else undefined. */
function clusterVersion(tpl: Template): string | undefined {
  const versions = new Set<string>();
  for (const c of tpl.byType('AWS::EKS::Cluster')) {
    const v = literal(get(c.properties, 'Version'));
    if (v === undefined || !/^1\.\d+$/.test(v)) return undefined;
    versions.add(v);
  }
  return versions.size === 1 ? [...versions][0] : undefined;
}

/** The SSM parameter name of the AMI these nodes need, or undefined when the family or architecture is unclear. */
function amiParameter(settings: MapNode, version: string): string | undefined {
  const text = userDataText(get(settings, 'UserData')) ?? '';
  const nodeadm = /\bkind["']?\s*:\s*["']?NodeConfig\b/.test(text);
  // AL2 user data (bootstrap.sh) would need the AL2 AMI, out of support; Windows, or both: not ours to choose.
  if (!nodeadm || /\/etc\/eks\/bootstrap\.sh/.test(text)) return undefined;
  const type = get(settings, 'InstanceType');
  const instanceType = type ? literal(type) : undefined;
  if (type && instanceType === undefined) return undefined;
  const family = instanceType?.split('.')[0] ?? '';
  // Accelerated instances (GPU, Inferentia, Trainium) need their own AMI variants.
  if (/^(p\d|g\d|inf\d|trn\d|dl\d)/.test(family) && family !== 'g5g') return undefined;
  const arm = /^[a-z]+\d+g[a-z]*$/.test(family) && family !== 'g5g';
  return `/aws/service/eks/optimized-ami/${version}/amazon-linux-2023/${arm ? 'arm64' : 'x86_64'}/standard/recommended/image_id`;
}

/** A new `Parameters` entry (the section is created when missing) of type AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>. */
function parameterEdits(ctx: FixContext<unknown>, tpl: Template, path: string) {
  const id = freeId(tpl, 'EksNodeImageId');
  const value = { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: path, Description: 'Amazon EKS optimized AMI for the nodes (public SSM parameter)' };
  const params = asMap(get(tpl.root, 'Parameters'));
  if (params && params.pairs.length) return { id, edit: ctx.editor.insertPairs(params, [[id, value]]) };
  if (get(tpl.root, 'Parameters')) return undefined;
  const resources = tpl.root.pairs.find((p) => p.key.value === 'Resources');
  const before = resources ? tpl.root.pairs[tpl.root.pairs.indexOf(resources) - 1] : undefined;
  // Parameters go before Resources: after the pair before it, or first.
  if (!before) return undefined;
  return { id, edit: ctx.editor.insertPairs(tpl.root, [['Parameters', { [id]: value }]], before) };
}

/** The scalar replaced by `!Ref <id>` (YAML) or `{"Ref": "<id>"}` (JSON). */
function replaceWithRef(ctx: FixContext<unknown>, node: ScalarNode, id: string): TextEdit[] {
  const text = ctx.editor.style.format === 'json' ? jsonInline(ref(id)) : yamlInline(ref(id), ctx.editor.style);
  return [{ start: node.start, end: node.end, newText: text }];
}
