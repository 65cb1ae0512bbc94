// Public entry of the batches module: what other modules and the command-line tools may import.
export { BatchesModule, type BatchesModuleOptions } from './batches.module.js';
export * from './legacy-mirror-reports.port.js';
export * from './batch.events.js';
export {
  importLegacyBatches,
  type LegacyImportDependencies,
  type LegacyImportInput,
  type LegacyImportOutput,
} from './legacy-import/legacy-import.runner.js';
export { IMPORT_EXIT } from './legacy-import/import-summary.js';
export {
  parseLegacyImportArguments,
  type LegacyImportArguments,
} from './legacy-import/legacy-import-arguments.js';
