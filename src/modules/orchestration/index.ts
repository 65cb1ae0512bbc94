// Public entry of the orchestration module: what other modules may import.
export { OrchestrationModule } from './orchestration.module.js';
export * from './phase2.events.js';
