import { Command } from 'commander';
import { collectorCommands } from './collect.js';
import { demoCommand } from './demo.js';
import { doctorCommand } from './doctor.js';
import { emulatorCommand } from './emulator.js';
import { reportFatal } from './fatal.js';
import { applyGcPolicy } from './gc-policy.js';
import { replayDeadLetterCommand } from './replay-dead-letter.js';
import { statusCommand } from './status.js';
import { subscriptionsCommand } from './subscriptions.js';
import { transformCommand } from './transform.js';

applyGcPolicy();

const program = new Command('o365-elk')
  .description('Microsoft 365 audit logs from the Office 365 Management Activity API into Elasticsearch and OpenSearch')
  .showHelpAfterError();
for (const command of [...collectorCommands(), statusCommand(), doctorCommand(), subscriptionsCommand(), transformCommand(), replayDeadLetterCommand(), emulatorCommand()]) {
  program.addCommand(command);
}
// With no command at all, a newcomer gets the demo rather than a usage error.
program.addCommand(demoCommand(), { isDefault: true });

program.parseAsync(process.argv).catch(reportFatal);
