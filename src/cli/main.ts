import { Command } from 'commander';
import { emulatorCommand } from './emulator.js';
import { reportFatal } from './fatal.js';

const program = new Command('o365-elk')
  .description('Microsoft 365 audit logs from the Office 365 Management Activity API into Elasticsearch and OpenSearch')
  .showHelpAfterError()
  .addCommand(emulatorCommand());

program.parseAsync(process.argv).catch(reportFatal);
