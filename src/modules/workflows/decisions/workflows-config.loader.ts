import type { WorkflowsDefinition } from '../workflow-config.types.js';
import { validateWorkflowsConfig } from './workflows-config.validator.js';
import { readYamlFile } from './yaml-file.reader.js';

/** Reads and validates config/workflows.yaml (WORKFLOWS_CONFIG_PATH); throws listing every problem. */
export function loadWorkflowsDefinition(path: string): WorkflowsDefinition {
  return validateWorkflowsConfig(readYamlFile(path, 'workflow configuration'), path);
}
