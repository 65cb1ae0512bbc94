import { Inject, Injectable, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { loadConfig, type AppConfig } from './app-config.js';
import { APP_CONFIG, AppConfigModule } from './config.module.js';
import { FeatureFlags } from './feature-flags.js';
import { TimeoutConfig } from './timeout.config.js';

@Injectable()
class NeedsConfig {
  constructor(
    @Inject(APP_CONFIG) readonly config: AppConfig,
    @Inject(TimeoutConfig) readonly timeouts: TimeoutConfig,
    @Inject(FeatureFlags) readonly flags: FeatureFlags,
  ) {}
}

@Module({ providers: [NeedsConfig] })
class FeatureModule {}

describe('AppConfigModule', () => {
  it('provides the given AppConfig, its TimeoutConfig and FeatureFlags to every module', async () => {
    const config = loadConfig({
      PORT: '9100',
      TIMEOUT_HTTP_REQUEST_MS: '1234',
      DUAL_WRITE_MODE: 'true',
    });
    const moduleRef = await Test.createTestingModule({
      imports: [AppConfigModule.forRoot(config), FeatureModule],
    }).compile();
    const consumer = moduleRef.get(NeedsConfig);
    expect(consumer.config).toBe(config);
    expect(consumer.timeouts.httpRequestMs).toBe(1234);
    expect(consumer.flags.isEnabled('DUAL_WRITE_MODE', 'batch-1')).toBe(true);
    expect(moduleRef.get(TimeoutConfig)).toBe(config.timeouts);
    const configService = moduleRef.get(ConfigService);
    expect(configService.get('server.port')).toBe(9100);
    expect(configService.get('store.sqlitePath')).toBe(config.store.sqlitePath);
    // Raw environment variables do not leak around validation.
    expect(configService.get('PATH')).toBeUndefined();
    await moduleRef.close();
  });

  it('loads from process.env when no config is given', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [AppConfigModule.forRoot()],
    }).compile();
    expect(moduleRef.get<AppConfig>(APP_CONFIG).timeouts).toBeInstanceOf(TimeoutConfig);
    await moduleRef.close();
  });
});
