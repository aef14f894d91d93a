// Shared readers for Amazon ECR repositories.
import type { Resource, Template } from '../model/template';

export const REPOSITORY = 'AWS::ECR::Repository';
export const REGISTRY_SCANNING = 'AWS::ECR::RegistryScanningConfiguration';

/** The private ECR repositories a template declares. */
export function repositories(tpl: Template): Resource[] {
  return tpl.byType(REPOSITORY);
}
