// The emulator in-process, for tests that need Microsoft's side but not the `emulator` command: one
// place for the defaults, each test naming only what it changes.
import { FAULT_PRESETS } from '../../src/emulator/faults.js';
import { DEFAULT_BEHAVIOUR, startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/server.js';

export function startLocalEmulator(options: Partial<EmulatorOptions> = {}): Promise<RunningEmulator> {
  return startEmulator({
    seed: 1,
    events: 100,
    days: 1,
    tenants: 1,
    faults: { ...FAULT_PRESETS.none },
    behaviour: DEFAULT_BEHAVIOUR,
    plainHttp: false,
    microsoftHostNames: false,
    host: '127.0.0.1',
    port: 0,
    liveEventsPerMinute: 0,
    clockSpeed: 1,
    ...options,
  });
}
