// The Fargate errors, on a task definition that lists EC2 or EXTERNAL beside FARGATE (an EC2-shaped task
// definition with host volumes, bridge networking or container-level sizing): `RequiresCompatibilities`
// without FARGATE, which clears every Fargate error of the task definition at once.
import { asSeq, get } from '../documents/nodes';
import { literal } from '../model/intrinsics';
import { defineFix, findingResource, setProperties } from './types';

export const dropFargate = defineFix<{ resource: string }>({
  id: 'drop-fargate',
  summary: 'removes `FARGATE` from `RequiresCompatibilities` when the task definition also lists EC2 or EXTERNAL.',
  provide(ctx) {
    const td = findingResource(ctx, 'AWS::ECS::TaskDefinition');
    const list = asSeq(get(td?.properties, 'RequiresCompatibilities'));
    if (!td || !list) return [];
    const values = list.items.map((i) => literal(i));
    if (!values.includes('FARGATE') || values.some((v) => v === undefined)) return [];
    const rest = values.filter((v): v is string => v !== 'FARGATE');
    if (!rest.some((v) => v === 'EC2' || v === 'EXTERNAL')) return [];
    const edits = setProperties(ctx, td, [], [['RequiresCompatibilities', rest]]);
    return edits.length ? [{ title: `Drop FARGATE from RequiresCompatibilities of ${td.id} (run it on ${rest.join(' and ')} only)`, edits }] : [];
  },
});
