// CloudFormation templates, YAML or JSON, written by hand.
import { Template } from '../model/template';
import type { KindDescriptor } from './kind';
import { firstRoot, isTemplate, locateInTemplate, TEMPLATE_HINT } from './template-kinds';

export const cloudformation: KindDescriptor = {
  id: 'cloudformation',
  family: 'cloudformation',
  label: 'CloudFormation',
  extensions: ['.yaml', '.yml', '.json', '.template'],
  languages: ['yaml', 'json', 'jsonc'],
  formats: ['yaml', 'json'],
  hint: TEMPLATE_HINT,
  detect: (file) => isTemplate(firstRoot(file)),
  model: (file) => ({ template: new Template(firstRoot(file)!, file), objects: [] }),
  suppressions: ['comment', 'metadata'],
  editable: true,
  locate: locateInTemplate,
};
