// ecs-fargate-network-mode: `NetworkMode: awsvpc` on the task definition.
import { literal } from '../model/intrinsics';
import { get } from '../documents/nodes';
import { defineFix, findingResource, setProperties } from './types';

export const setNetworkMode = defineFix<{ resource: string; networkMode: string }>({
  id: 'set-network-mode',
  summary: 'sets `NetworkMode: awsvpc`.',
  provide(ctx) {
    const td = findingResource(ctx, 'AWS::ECS::TaskDefinition');
    if (!td) return [];
    const current = get(td.properties, 'NetworkMode');
    if (current && literal(current)?.toLowerCase() === 'awsvpc') return [];
    const edits = setProperties(ctx, td, [], [['NetworkMode', 'awsvpc']]);
    return edits.length ? [{ title: `Set NetworkMode: awsvpc on ${td.id}`, preferred: true, edits }] : [];
  },
});
