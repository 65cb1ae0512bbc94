/**
 * The deployment environment GET /health shows (`environment` of config/workflows.yaml, e.g.
 * `production`, `dev`): a string provided by the module that loads that file, which the app
 * hands to HealthModule.forRoot.
 */
export const DEPLOYMENT_ENVIRONMENT = Symbol('DEPLOYMENT_ENVIRONMENT');
