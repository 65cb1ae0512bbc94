// Public entry of the cost module: what other modules may import.
export { CostModule } from './cost.module.js';
export * from './analytics-load.events.js';
