// `o365-elk subscriptions list|start|stop`: inspect and manage each tenant's Management API subscriptions.
import { Command } from 'commander';
import type { ContentType } from '../config/index.js';
import { createTenantClient } from '../runtime/tenant-client.js';
import { commandLogger, loadCommandConfig, withConfigOptions, type ConfigOptions } from './collect.js';

type Action = 'list' | 'start' | 'stop';

export function subscriptionsCommand(): Command {
  const command = new Command('subscriptions').description("list, start or stop each tenant's Management Activity API subscriptions");
  for (const [action, description] of [
    ['list', 'show the subscription status of every content type'],
    ['start', 'start the configured content types (already enabled ones are left alone)'],
    ['stop', 'stop the configured content types (content published while stopped is lost)'],
  ] as const) {
    command.addCommand(
      withConfigOptions(new Command(action))
        .description(description)
        .action(async (options: ConfigOptions) => manage(action, options)),
    );
  }
  return command;
}

async function manage(action: Action, options: ConfigOptions): Promise<void> {
  const config = loadCommandConfig(options);
  const logger = commandLogger(config);
  for (const [index, tenant] of config.tenants.entries()) {
    const client = createTenantClient(tenant, index, config, logger);
    const label = tenant.name ? `${tenant.name} (${tenant.tenant_id})` : tenant.tenant_id;
    try {
      if (action === 'list') {
        const subscriptions = await client.listSubscriptions();
        for (const contentType of tenant.content_types) {
          const found = subscriptions.find((s) => s.contentType === contentType);
          process.stdout.write(`${label}\t${contentType}\t${found ? found.status : 'not subscribed'}\n`);
        }
      } else {
        for (const contentType of tenant.content_types as ContentType[]) {
          if (action === 'start') {
            const outcome = await client.startSubscription(contentType);
            process.stdout.write(`${label}\t${contentType}\t${outcome === 'started' ? 'started' : 'already enabled'}\n`);
          } else {
            await client.stopSubscription(contentType);
            process.stdout.write(`${label}\t${contentType}\tstopped\n`);
          }
        }
      }
    } finally {
      await client.close();
    }
  }
}
