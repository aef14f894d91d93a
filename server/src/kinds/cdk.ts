// Templates synthesized by the AWS CDK (`cdk.out/*.template.json`): resources carry `aws:cdk:path`.
import { asMap, asScalar, get } from '../documents/nodes';
import { Template } from '../model/template';
import type { KindDescriptor } from './kind';
import { firstRoot, isTemplate, locateInTemplate, TEMPLATE_HINT } from './template-kinds';

export const cdk: KindDescriptor = {
  id: 'cdk',
  family: 'cloudformation',
  label: 'CDK',
  extensions: ['.json'],
  languages: ['json', 'jsonc'],
  formats: ['json', 'yaml'],
  hint: TEMPLATE_HINT,
  detect(file) {
    const root = firstRoot(file);
    return isTemplate(root) && !!asMap(get(root, 'Resources'))?.pairs.some((p) => asScalar(get(get(p.value, 'Metadata'), 'aws:cdk:path')));
  },
  model: (file) => ({ template: new Template(firstRoot(file)!, file), objects: [] }),
  suppressions: ['comment', 'metadata'],
  // Synthesized output: every synth rewrites it, so no quick fix edits it (the fix belongs in the CDK code).
  editable: false,
  locate: locateInTemplate,
};
