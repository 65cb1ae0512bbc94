import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, registerAs } from '@nestjs/config';
import { loadConfig, type AppConfig } from './app-config.js';
import { FeatureFlags } from './feature-flags.js';
import { TimeoutConfig } from './timeout.config.js';

/** Injection token of the whole AppConfig: `@Inject(APP_CONFIG) config: AppConfig`. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * Global configuration module. Provides APP_CONFIG, and the classes TimeoutConfig and
 * FeatureFlags as their own tokens (`constructor(private readonly timeouts: TimeoutConfig)`).
 */
@Global()
@Module({})
export class AppConfigModule {
  /** `config` given: used as is (tests). Omitted: loadConfig(process.env) when the module is built. */
  static forRoot(config?: AppConfig): DynamicModule {
    let loaded: AppConfig | undefined = config;
    const resolved = (): AppConfig => (loaded ??= loadConfig(process.env));
    return {
      module: AppConfigModule,
      global: true,
      imports: [
        // The same validated namespaces through @nestjs/config: ConfigService.get('server.port') etc.
        ConfigModule.forRoot({
          ignoreEnvFile: true,
          load: (['server', 'store', 'logging', 'health', 'ingestion'] as const).map((namespace) =>
            registerAs(namespace, () => ({ ...resolved()[namespace] })),
          ),
          // Values come only from the validated AppConfig above, never straight from the environment.
          skipProcessEnv: true,
        }),
      ],
      providers: [
        { provide: APP_CONFIG, useFactory: resolved },
        {
          provide: TimeoutConfig,
          useFactory: (app: AppConfig) => app.timeouts,
          inject: [APP_CONFIG],
        },
        { provide: FeatureFlags, useFactory: (app: AppConfig) => app.flags, inject: [APP_CONFIG] },
      ],
      exports: [APP_CONFIG, TimeoutConfig, FeatureFlags, ConfigModule],
    };
  }
}
