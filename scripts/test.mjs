#!/usr/bin/env node
// Runs the whole test suite with Node's own test runner. Test files are TypeScript, loaded through tsx.
// Tests that write into a search engine use a real OpenSearch: the one at O365_ELK_TEST_ENGINE_URL when
// given, otherwise one this script starts for the run and stops afterwards.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { startTestEngine, ToolchainMissingError } from './test-engine-lib.mjs';

function findTests(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (name.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

async function engineUrl() {
  if (process.env.O365_ELK_TEST_ENGINE_URL) return { url: process.env.O365_ELK_TEST_ENGINE_URL, stop: async () => {} };
  process.stderr.write('starting the test engine (OpenSearch 2.19) for this run…\n');
  try {
    return await startTestEngine({ dir: '.tmp/test-engine' });
  } catch (error) {
    if (error instanceof ToolchainMissingError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

const only = process.argv.slice(2);
const files = only.length > 0 ? only : findTests('test').sort();
const engine = await engineUrl();
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, O365_ELK_TEST_ENGINE_URL: engine.url } },
);
const stopOnSignal = () => child.kill('SIGTERM');
process.once('SIGINT', stopOnSignal);
process.once('SIGTERM', stopOnSignal);
child.on('exit', async (code, signal) => {
  await engine.stop();
  process.exit(signal ? 1 : (code ?? 1));
});
