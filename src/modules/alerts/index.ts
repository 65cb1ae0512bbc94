// Public entry of the alerts module: what other modules may import. Features raise alerts through
// the port in src/common/alerts/alert.port.ts (inject ALERTS) after importing AlertsModule.
export { AlertsModule } from './alerts.module.js';
export {
  ALERT_EVENTS,
  ALERT_STREAM_PREFIX,
  alertStream,
  type AlertDeliveryAttempted,
  type AlertEvent,
  type AlertRaised,
} from './alert.events.js';
