import { ConfigValidationError, loadConfig, type AppConfig } from './common/config/index.js';
import { serve } from './serve.js';

function loadConfigOrExit(): AppConfig {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

await serve(loadConfigOrExit());
