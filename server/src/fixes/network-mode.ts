// ecs-fargate-network-mode: `NetworkMode: awsvpc` on the task definition.
import { literal } from '../model/intrinsics';
import { get } from '../documents/nodes';
import { findingResource, setProperties, type FixProvider } from './types';

export const setNetworkMode: FixProvider = (ctx) => {
  const td = findingResource(ctx, 'AWS::ECS::TaskDefinition');
  if (!td) return [];
  const current = get(td.properties, 'NetworkMode');
  if (current && literal(current)?.toLowerCase() === 'awsvpc') return [];
  const edits = setProperties(ctx, td, [], [['NetworkMode', 'awsvpc']]);
  return edits.length ? [{ title: `Set NetworkMode: awsvpc on ${td.id}`, preferred: true, edits }] : [];
};
