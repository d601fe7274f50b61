#!/usr/bin/env node
// npm run test-engine -- [--engine opensearch|elasticsearch] --dir DIR [--port N]
// Runs a test engine in the foreground: a real single-node OpenSearch 2.19 (the default) or Elasticsearch
// 9.5. Prints exactly one line on stdout, `ready http://127.0.0.1:PORT`, once the cluster is yellow; the
// engine's own log is DIR/engine.log and its JVM's PID is in DIR/engine.pid. Stops the engine on SIGTERM or SIGINT, or when its parent dies.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ENGINES, startTestEngine, ToolchainMissingError } from './test-engine-lib.mjs';

const USAGE = `usage: npm run test-engine -- [--engine ${Object.keys(ENGINES).join('|')}] --dir DIR [--port N]`;

function fail(message, exitCode) {
  process.stderr.write(`${message}\n`);
  process.exit(exitCode);
}

let options;
try {
  options = parseArgs({ options: { engine: { type: 'string', default: 'opensearch' }, dir: { type: 'string' }, port: { type: 'string' } } }).values;
} catch (error) {
  fail(`${error.message}; ${USAGE}`, 2);
}
if (!options.dir) fail(`--dir is required; ${USAGE}`, 2);
if (!Object.hasOwn(ENGINES, options.engine)) fail(`--engine must be ${Object.keys(ENGINES).join(' or ')}, got ${options.engine}`, 2);
if (options.port !== undefined && !/^\d+$/.test(options.port)) {
  fail(`--port must be a number from 0 to 65535, got ${options.port}`, 2);
}

let engine;
try {
  engine = await startTestEngine({ engine: options.engine, dir: options.dir, port: options.port === undefined ? 0 : Number(options.port) });
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
