// ecs-instance-profile-missing: an instance profile for ECS container instances. A new role trusted by
// ec2.amazonaws.com with AmazonEC2ContainerServiceforEC2Role and an `AWS::IAM::InstanceProfile` for it
// (inserted right after the launch template or configuration), or an existing instance profile of the
// template whose role has that policy; set as `LaunchTemplateData.IamInstanceProfile.Arn` or the launch
// configuration's `IamInstanceProfile`.
import { get, items } from '../documents/nodes';
import type { Resource, Template } from '../model/template';
import { LAUNCH_CONFIGURATION, LAUNCH_TEMPLATE } from '../rules/ecs';
import { getAtt, ref, type TextEdit, type Value } from './edit';
import { freeId, hasManagedPolicy, insertResourcesAfter, serviceRole, stem } from './resources';
import { defineFix, findingResource, setProperties, type Fix, type FixContext } from './types';

export const ECS_INSTANCE_POLICY = 'service-role/AmazonEC2ContainerServiceforEC2Role';

export const addInstanceProfile = defineFix<{ resource: string }>({
  id: 'add-instance-profile',
  summary: 'adds an `AWS::IAM::InstanceProfile` and its `AWS::IAM::Role` (trusted by `ec2.amazonaws.com`, with the `AmazonEC2ContainerServiceforEC2Role` managed policy), inserted after the launch template or configuration, and sets `LaunchTemplateData.IamInstanceProfile.Arn` (or the launch configuration\'s `IamInstanceProfile`) to it; or uses an existing instance profile of the template whose role has that policy.',
  provide(ctx) {
    const tpl = ctx.template;
    const res = findingResource(ctx);
    if (!tpl || !res || (res.type !== LAUNCH_TEMPLATE && res.type !== LAUNCH_CONFIGURATION)) return [];
    const fixes: Fix[] = [];
    const ids = new Set<string>();
    const base = stem(res.id, /(LaunchTemplate|LaunchConfiguration|LaunchConfig|Template|Config)$/) || 'Ecs';
    const role = freeId(tpl, `${base}InstanceRole`, ids);
    const profile = freeId(tpl, `${base}InstanceProfile`, ids);
    const property = useProfile(ctx, res, profile);
    const added = insertResourcesAfter(ctx, res, [
      [role, serviceRole('ec2.amazonaws.com', [ECS_INSTANCE_POLICY])],
      [profile, { Type: 'AWS::IAM::InstanceProfile', Properties: { Roles: [ref(role)] } }],
    ]);
    if (property.length && added) fixes.push({ title: `Add an instance profile: new ${profile} and role ${role} (AmazonEC2ContainerServiceforEC2Role) for ${res.id}`, preferred: true, edits: [...property, added] });
    for (const existing of ecsInstanceProfiles(tpl)) {
      const edits = useProfile(ctx, res, existing.id);
      if (edits.length) fixes.push({ title: `Use the existing instance profile ${existing.id} for ${res.id}`, edits });
    }
    return fixes;
  },
});

function useProfile(ctx: FixContext<unknown>, res: Resource, profile: string): TextEdit[] {
  if (res.type === LAUNCH_CONFIGURATION) return setProperties(ctx, res, [], [['IamInstanceProfile', ref(profile)]]);
  const value: Value = { Arn: getAtt(profile, 'Arn') };
  return setProperties(ctx, res, ['LaunchTemplateData'], [['IamInstanceProfile', value]]);
}

/** Instance profiles of the template whose role has AmazonEC2ContainerServiceforEC2Role. */
function ecsInstanceProfiles(tpl: Template): Resource[] {
  return tpl.byType('AWS::IAM::InstanceProfile').filter((p) => items(get(p.properties, 'Roles')).some((r) => tpl.targets(r).some((role) => role.type === 'AWS::IAM::Role' && hasManagedPolicy(role, 'AmazonEC2ContainerServiceforEC2Role'))));
}
