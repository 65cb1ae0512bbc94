export * from './event-envelope.js';
export * from './event-store.errors.js';
export * from './event-store.port.js';
export * from './quarantine-body-store.port.js';
export * from './retry-on-concurrent-write.js';
export * from './stored-text.js';
export * from './typed-event.js';
export * from './command-handler.js';
