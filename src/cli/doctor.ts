// `o365-elk doctor`: checks the configuration, each tenant's sign-in, roles and subscriptions, the output
// and the optional extras, and prints a PASS/WARN/FAIL table with the fix for every problem.
import { Command } from 'commander';
import { ConfigError, type Config } from '../config/index.js';
import { createLogger } from '../util/logger.js';
import { loadCommandConfig, withConfigOptions, type ConfigOptions } from './collect.js';
import { EXIT_CONFIG, EXIT_OK, EXIT_PARTIAL } from './fatal.js';

export function doctorCommand(): Command {
  return withConfigOptions(new Command('doctor'))
    .description('check the configuration, sign-in, permissions, subscriptions and output, and say how to fix what fails')
    .action(async (options: ConfigOptions) => process.exit(await diagnose(options)));
}

async function diagnose(options: ConfigOptions): Promise<number> {
  let config: Config;
  try {
    config = loadCommandConfig(options);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stdout.write(`FAIL  configuration  ${options.config ?? '(no -c file)'} cannot be used:\n`);
    for (const problem of error.problems) process.stdout.write(`      ${problem}\n`);
    return EXIT_CONFIG;
  }
  const { renderChecks, runDoctor } = await import('../doctor/index.js');
  const results = await runDoctor(config, {
    configFile: options.config ?? 'FILE',
    logger: createLogger({ level: 'silent', json: true }),
  });
  process.stdout.write(renderChecks(results));
  return results.some((result) => result.status === 'FAIL') ? EXIT_PARTIAL : EXIT_OK;
}
