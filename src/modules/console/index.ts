// Public entry of the console module: the operator console's static files (docs/console.md).
export { ConsoleModule } from './console.module.js';
