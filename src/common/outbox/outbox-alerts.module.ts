import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { ALERTS, type AlertPort } from '../alerts/alert.port.js';
import { OutboxModule } from './outbox.module.js';
import { OutboxService } from './outbox.service.js';

const OUTBOX_ALERTS_CONNECTED = Symbol('OUTBOX_ALERTS_CONNECTED');

/**
 * Hands the alert port to the outbox, which raises an alert when a topic stops: the kernel cannot
 * import the alerts module, so the app passes it here (`OutboxAlertsModule.forRoot(AlertsModule)`).
 */
@Module({})
export class OutboxAlertsModule {
  /** `alerts`: the module exporting ALERTS. */
  static forRoot(alerts: Type<unknown>): DynamicModule {
    return {
      module: OutboxAlertsModule,
      imports: [OutboxModule, alerts],
      providers: [
        {
          provide: OUTBOX_ALERTS_CONNECTED,
          inject: [OutboxService, ALERTS],
          useFactory: (outbox: OutboxService, port: AlertPort) => {
            outbox.connectAlerts(port);
            return true;
          },
        },
      ],
    };
  }
}
