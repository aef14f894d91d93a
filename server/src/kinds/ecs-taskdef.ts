// The JSON that `aws ecs register-task-definition --cli-input-json` takes (bare, or wrapped as
// `describe-task-definition` prints it), read as a one-resource template so the ECS rules apply.
import { asSeq, get } from '../documents/nodes';
import { Template } from '../model/template';
import { taskDefinitionTemplateRoot } from '../model/taskdef';
import type { KindDescriptor } from './kind';
import { firstRoot } from './template-kinds';

export const ecsTaskdef: KindDescriptor = {
  id: 'ecs-taskdef',
  family: 'cloudformation',
  label: 'ECS task definition',
  extensions: ['.json'],
  languages: ['json', 'jsonc'],
  formats: ['json'],
  hint: /"containerDefinitions"/,
  detect(file) {
    const root = firstRoot(file);
    return !!asSeq(get(root, 'containerDefinitions') ?? get(get(root, 'taskDefinition'), 'containerDefinitions'));
  },
  model: (file) => ({ template: new Template(taskDefinitionTemplateRoot(firstRoot(file)!), file), objects: [] }),
  // The model's nodes are renamed copies: no edit could be placed safely, and the API has no metadata.
  suppressions: [],
  editable: false,
  locate: () => undefined,
};
