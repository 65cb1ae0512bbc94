import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Module } from '@nestjs/common';
import { findConsoleRoot, loadConsoleCatalog } from './console-files.js';
import { ConsoleController } from './console.controller.js';
import { CONSOLE_CATALOG } from './console.tokens.js';

/** Serves the operator console (`/console`, see docs/console.md): static files, no data of its own. */
@Module({
  controllers: [ConsoleController],
  providers: [
    {
      provide: CONSOLE_CATALOG,
      useFactory: () =>
        loadConsoleCatalog(findConsoleRoot(dirname(fileURLToPath(import.meta.url)))),
    },
  ],
})
export class ConsoleModule {}
