import { readYamlConfigFile } from '../../../common/config/yaml-config-file.js';
import { WorkflowsConfigError } from './workflows-config.error.js';

/** The parsed YAML of `path`, or a WorkflowsConfigError naming the file and what is wrong with it. */
export function readYamlFile(path: string, what: string): unknown {
  return readYamlConfigFile(
    path,
    `the ${what}`,
    (problem) => new WorkflowsConfigError(path, [`${path}: ${problem}`]),
  );
}
