#!/usr/bin/env node
// npm run test-engine -- --dir DIR [--port N]
// Runs the test engine (a real single-node OpenSearch) in the foreground. Prints exactly one line on
// stdout, `ready http://127.0.0.1:PORT`, once the cluster is yellow; the engine's own log is DIR/engine.log
// and its JVM's PID is in DIR/engine.pid. Stops the engine on SIGTERM or SIGINT, or when its parent dies.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startTestEngine, ToolchainMissingError } from './test-engine-lib.mjs';

const USAGE = 'usage: npm run test-engine -- --dir DIR [--port N]';

function fail(message, exitCode) {
  process.stderr.write(`${message}\n`);
  process.exit(exitCode);
}

let options;
try {
  options = parseArgs({ options: { dir: { type: 'string' }, port: { type: 'string' } } }).values;
} catch (error) {
  fail(`${error.message}; ${USAGE}`, 2);
}
if (!options.dir) fail(`--dir is required; ${USAGE}`, 2);
if (options.port !== undefined && !/^\d+$/.test(options.port)) {
  fail(`--port must be a number from 0 to 65535, got ${options.port}`, 2);
}

let engine;
try {
  engine = await startTestEngine({ dir: options.dir, port: options.port === undefined ? 0 : Number(options.port) });
} catch (error) {
  fail(error.message, error instanceof ToolchainMissingError ? 2 : 1);
}

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await engine.stop();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// `npm run` passes SIGTERM to its shell, not to this process: notice the parent going away instead.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) stop();
}, 1000).unref();
// Stopping the JVM by the PID in DIR/engine.pid is a normal way to end this script.
const STOPPED_BY_SIGTERM = 128 + 15;
engine.exited.then((outcome) => {
  if (stopping) return;
  if (outcome === STOPPED_BY_SIGTERM) process.exit(0);
  fail(`test engine stopped on its own (${outcome}): see ${join(resolve(options.dir), 'engine.log')}`, 1);
});

process.stdout.write(`ready ${engine.url}\n`);
