// `o365-elk doctor`: every check of a configuration that loaded, as rows of PASS, WARN or FAIL.
import type { Config } from '../config/index.js';
import type { Logger } from '../util/logger.js';
import { pass, warn, type CheckResult } from './checks.js';
import { checkGeoIp } from './geoip.js';
import { checkOutput } from './output.js';
import { formatTable } from './table.js';
import { checkTenant } from './tenant.js';

export type { CheckResult, CheckStatus } from './checks.js';

export interface DoctorOptions {
  /** The -c file as the user gave it, named in fixes and in the first row. */
  configFile: string;
  /** Receives what the clients log; the table is the doctor's report, so usually a silent one. */
  logger: Logger;
}

/** Runs every check; tenants are checked one after another so that their rows stay together. */
export async function runDoctor(config: Config, options: DoctorOptions): Promise<CheckResult[]> {
  const results: CheckResult[] = [
    pass('configuration', `${options.configFile} loaded: ${config.tenants.length} tenant${config.tenants.length === 1 ? '' : 's'}, output ${config.output.type}`),
    ...config.warnings.map((warning) => warn('configuration', warning)),
  ];
  for (const [index, tenant] of config.tenants.entries()) {
    results.push(...(await checkTenant(tenant, index, { config, configFile: options.configFile, logger: options.logger })));
  }
  results.push(...(await checkOutput(config.output)));
  results.push(checkGeoIp(config));
  return results;
}

export function renderChecks(results: readonly CheckResult[]): string {
  const rows = results.flatMap((result) => [
    [result.status, result.check, result.detail],
    ...(result.fix ? [['', '', `fix: ${result.fix}`]] : []),
  ]);
  const failed = results.filter((result) => result.status === 'FAIL').length;
  const warned = results.filter((result) => result.status === 'WARN').length;
  const verdict = failed > 0 ? `${failed} check${failed === 1 ? '' : 's'} failed` : 'all checks passed';
  return `${formatTable(['STATUS', 'CHECK', 'DETAIL'], rows)}\n${verdict}${warned > 0 ? `, ${warned} warning${warned === 1 ? '' : 's'}` : ''}\n`;
}
