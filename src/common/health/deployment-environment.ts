/**
 * The deployment environment GET /health shows (`environment` of config/workflows.yaml, e.g.
 * `production`, `dev`): a string provided globally by the module that loads that file
 * (WorkflowsSettingsModule).
 */
export const DEPLOYMENT_ENVIRONMENT = Symbol('DEPLOYMENT_ENVIRONMENT');
