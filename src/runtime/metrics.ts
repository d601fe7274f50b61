// The connector's Prometheus metrics (prom-client), in one registry that `/metrics` will serve.
import { Counter, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  alerts: Counter<'kind'>;
  authFailures: Counter<'tenant' | 'reason'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  return {
    registry,
    alerts: new Counter({ name: 'o365_elk_alerts_total', help: 'Alerts raised, by condition', labelNames: ['kind'], registers: [registry] }),
    authFailures: new Counter({
      name: 'o365_elk_auth_failures_total',
      help: 'Failed token requests, by tenant and classified reason',
      labelNames: ['tenant', 'reason'],
      registers: [registry],
    }),
  };
}
