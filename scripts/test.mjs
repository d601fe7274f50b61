#!/usr/bin/env node
// Runs the test suite with Node's own test runner. Test files are TypeScript, loaded through tsx.
// Tests that write into a search engine use a real one, named to them by O365_ELK_TEST_ENGINE_URL, and
// the suite runs in two passes:
//   1. every test against OpenSearch: the one at O365_ELK_TEST_ENGINE_URL when given, otherwise one this
//      script starts for the run;
//   2. the tests whose outcome depends on the engine's flavour (the Elasticsearch output's, the test
//      engine's own, doctor's) again against Elasticsearch: the one at O365_ELK_TEST_ELASTICSEARCH_URL
//      when given, otherwise one this script starts.
// The tests find out which engine they face from its `GET /`. Both engines start together, each in a
// directory of this run's own under .tmp/ (several runs may share a work tree), and stop when the run
// ends; the directories are removed then, unless a pass failed and their logs may tell why.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { spawn } from 'node:child_process';
import { ENGINES, startTestEngine, ToolchainMissingError } from './test-engine-lib.mjs';

const OPENSEARCH_URL = 'O365_ELK_TEST_ENGINE_URL';
const ELASTICSEARCH_URL = 'O365_ELK_TEST_ELASTICSEARCH_URL';
/** Paths from the repository root, `/`-separated. */
const PER_FLAVOUR = [
  /^test\/sinks\/elasticsearch[^/]*\.test\.ts$/,
  /^test\/sinks\/dead-letter\.test\.ts$/,
  /^test\/elasticsearch\/[^/]+\.test\.ts$/,
  /^test\/engine\/[^/]+\.test\.ts$/,
  /^test\/cli\/doctor\.test\.ts$/,
];

function findTests(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (name.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

function fileCount(count) {
  return `${count} ${count === 1 ? 'file' : 'files'}`;
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

function isPerFlavour(file) {
  const path = relative(process.cwd(), resolve(file)).split(sep).join('/');
  return PER_FLAVOUR.some((pattern) => pattern.test(path));
}

/** The engine of `kind` given by `variable`, or one started for this run in .tmp/. */
async function engineFor(kind, variable) {
  const given = process.env[variable];
  if (given) return { description: `the engine at ${given} (${variable})`, url: given, stop: async () => {}, remove: () => {} };
  const dir = join('.tmp', `test-engine-${kind}-${process.pid}`);
  process.stderr.write(`starting the test engine (${ENGINES[kind].name}) for this run in ${dir}…\n`);
  const started = Date.now();
  const engine = await startTestEngine({ engine: kind, dir });
  process.stderr.write(`${ENGINES[kind].name} ready at ${engine.url} after ${seconds(Date.now() - started)}\n`);
  return {
    description: `${ENGINES[kind].name} at ${engine.url}`,
    url: engine.url,
    stop: () => engine.stop(),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Both engines, started side by side; when either cannot start, the other is stopped again. */
async function startEngines(needElasticsearch) {
  const starting = [
    engineFor('opensearch', OPENSEARCH_URL),
    needElasticsearch ? engineFor('elasticsearch', ELASTICSEARCH_URL) : Promise.resolve(undefined),
  ];
  const outcomes = await Promise.allSettled(starting);
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed === undefined) return outcomes.map((outcome) => outcome.value);
  await Promise.all(outcomes.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value?.stop() : undefined)));
  const error = failed.reason;
  process.stderr.write(`${error instanceof ToolchainMissingError ? error.message : error.stack}\n`);
  process.exit(error instanceof ToolchainMissingError ? 2 : 1);
}

let current;
let interrupted = false;
function runTests(files, engineUrl) {
  const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
    stdio: 'inherit',
    env: { ...process.env, [OPENSEARCH_URL]: engineUrl },
  });
  current = child;
  return new Promise((resolveCode) => child.on('exit', (code, signal) => resolveCode(signal ? 1 : (code ?? 1))));
}

const only = process.argv.slice(2);
const files = only.length > 0 ? only : findTests('test').sort();
const perFlavour = files.filter(isPerFlavour);
const [opensearch, elasticsearch] = await startEngines(perFlavour.length > 0);
const stopOnSignal = () => {
  interrupted = true;
  current?.kill('SIGTERM');
};
process.once('SIGINT', stopOnSignal);
process.once('SIGTERM', stopOnSignal);

const passes = [{ engine: opensearch, files, what: only.length > 0 ? 'the given tests' : 'every test' }];
if (elasticsearch) passes.push({ engine: elasticsearch, files: perFlavour, what: 'the tests that depend on the engine' });
const results = [];
for (const [n, pass] of passes.entries()) {
  if (interrupted) break;
  process.stderr.write(`\ntest pass ${n + 1} of ${passes.length}: ${pass.what} (${fileCount(pass.files.length)}) against ${pass.engine.description}\n`);
  const started = Date.now();
  const code = await runTests(pass.files, pass.engine.url);
  results.push({ ...pass, code, ms: Date.now() - started });
}
await Promise.all([opensearch.stop(), elasticsearch?.stop()]);
for (const { engine, files: ran, code, ms } of results) {
  process.stderr.write(`${code === 0 ? 'passed' : 'FAILED'}: ${fileCount(ran.length)} against ${engine.description} in ${seconds(ms)}\n`);
}
const exitCode = interrupted ? 1 : (results.find((result) => result.code !== 0)?.code ?? 0);
if (exitCode === 0) for (const engine of [opensearch, elasticsearch]) engine?.remove();
process.exit(exitCode);
