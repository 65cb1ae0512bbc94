import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, registerAs } from '@nestjs/config';
import { loadConfig, type AppConfig } from './app-config.js';
import { FeatureFlags } from './feature-flags.js';
import { TimeoutConfig } from './timeout.config.js';

/** Injection token of the whole AppConfig: `@Inject(APP_CONFIG) config: AppConfig`. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * Whether this process runs singleton jobs (boolean): false in command-line tools, which take no
 * lease and start no projection, timer, dispatcher or export (a service on the same store runs
 * them). Read by LeaseCoordinator.
 */
export const SINGLETON_JOBS_ENABLED = Symbol('SINGLETON_JOBS_ENABLED');

/** What the process is, beside its configuration. */
export interface ProcessOptions {
  /** false for command-line tools (see SINGLETON_JOBS_ENABLED). Default true. */
  singletonJobs?: boolean;
}

/**
 * Global configuration module. Provides APP_CONFIG, the classes TimeoutConfig and FeatureFlags as
 * their own tokens (`constructor(private readonly timeouts: TimeoutConfig)`), and
 * SINGLETON_JOBS_ENABLED.
 */
@Global()
@Module({})
export class AppConfigModule {
  /** `config` given: used as is (tests). Omitted: loadConfig(process.env) when the module is built. */
  static forRoot(config?: AppConfig, options: ProcessOptions = {}): DynamicModule {
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
        { provide: SINGLETON_JOBS_ENABLED, useValue: options.singletonJobs ?? true },
      ],
      exports: [APP_CONFIG, TimeoutConfig, FeatureFlags, SINGLETON_JOBS_ENABLED, ConfigModule],
    };
  }
}
