import { Command, InvalidArgumentError, Option } from 'commander';

export function emulatorCommand(): Command {
  return new Command('emulator')
    .description("serve a local emulation of Microsoft's cloud (Entra ID, Management Activity API, Graph) with deterministic audit data")
    .requiredOption('--dir <dir>', 'directory that receives ca.pem, credentials and connector.yml')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', 'port to listen on (0: any free port)', integer, 0)
    .option('--seed <n>', 'seed of the generated data', integer, 1)
    .option('--events <n>', 'audit records published over the backlog', integer, 5000)
    .option('--days <n>', 'days of backlog (at most 7, the API retention)', days, 7)
    .option('--tenants <n>', 'emulated tenants (odd ones use a client secret, even ones a certificate)', integer, 2)
    .option('--faults <spec>', 'fault preset (none, realistic, hostile) and/or knob=value,... (see README)', 'none')
    .option('--http', 'serve plain HTTP instead of HTTPS', false)
    .option('--microsoft-hosts', "make the TLS certificate also cover Microsoft's host names", false)
    .option('--live-rate <n>', 'new events per virtual minute after start (0: backlog only)', Number, 0)
    .option('--clock-speed <n>', 'how many times faster than real time the virtual clock runs', Number, 1)
    .option('--page-size <n>', 'entries per content listing page', integer, 100)
    .option('--lowercase-next-page', 'lower-case parameter names in NextPageUri, as the service does since 2025', false)
    .option('--start-throttle', 'enforce 15 minutes between subscription starts of a tenant', false)
    .option(
      '--register-certificate <pem>',
      'also accept this certificate (PEM, e.g. made with openssl) for the certificate tenants\' app; repeatable',
      (path: string, previous: string[]) => [...previous, path],
      [] as string[],
    )
    .addOption(new Option('--window-error <code>', 'error code for a bad time window').choices(['AF20055', 'AF20030']).default('AF20055'))
    .action(async (options) => {
      // Loaded on use: the collector's commands do not need the emulator in memory.
      const { runEmulatorCommand } = await import('../emulator/command.js');
      const emulator = await runEmulatorCommand(options);
      process.stdout.write(`ready ${emulator.url}\n`);
      const stop = (): void => {
        void emulator.close().then(() => process.exit(0));
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
}

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number of at least 0');
  return n;
}

function days(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 7) throw new InvalidArgumentError('expected a number of days above 0 and at most 7');
  return n;
}
