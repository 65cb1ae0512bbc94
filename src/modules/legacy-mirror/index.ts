// Public entry of the legacy-mirror module: what the app and other modules may import.
export { LegacyMirrorModule } from './legacy-mirror.module.js';
export * from './legacy-mirror.events.js';
export { LEGACY_MIRROR_PROJECTION } from './legacy-mirror.projection.js';
