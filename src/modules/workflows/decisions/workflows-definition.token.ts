/**
 * Injection token of the loaded, validated `WorkflowsDefinition` (config/workflows.yaml).
 * Provided and exported by WorkflowsConfigModule; the executor injects it with
 * `@Inject(WORKFLOWS_DEFINITION) definition: WorkflowsDefinition`.
 */
export const WORKFLOWS_DEFINITION = Symbol('WORKFLOWS_DEFINITION');
