// Starts and stops the single-node OpenSearch that tests and benchmarks write into. The engine is the
// Maven project in test-engine/: OpenSearch's server and module jars from Maven Central, run by a small
// main of our own, because no OpenSearch tarball or Docker image can be downloaded where tests run.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';

const PROJECT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-engine');
const TARGET_DIR = join(PROJECT_DIR, 'target');
const CLASSES_DIR = join(TARGET_DIR, 'classes');
const CLASSPATH_FILE = join(TARGET_DIR, 'classpath.txt');
const BUILD_STAMP_FILE = join(TARGET_DIR, 'build-inputs.sha256');
const MAIN_CLASS = 'org.o365elk.testengine.TestEngine';
// The JVM default heap would be a quarter of the machine's memory; the OOM flag turns a wedged engine
// into a dead one that the caller notices.
const JVM_OPTIONS = ['-Xms512m', '-Xmx1g', '-XX:+ExitOnOutOfMemoryError'];
const MINIMUM_JAVA = 17;
const HEALTH_WAIT = '120s';
const STOP_GRACE_MS = 60_000;

/** Java or Maven is missing or too old; the message says what to install. */
export class ToolchainMissingError extends Error {}

/**
 * Builds the engine if its sources changed, starts it with a fresh data directory under `dir`, and
 * resolves once the cluster is yellow. Port 0 (the default) lets the OS choose a free port. `keepData`
 * keeps what an engine stopped earlier left under `dir`, so that a test can restart it.
 */
export async function startTestEngine({ dir, port = 0, keepData = false }) {
  if (typeof dir !== 'string' || dir === '') throw new Error('test engine needs a directory: pass { dir }');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`test engine port must be an integer from 0 to 65535, got ${port}`);
  }
  const engineDir = resolve(dir);
  mkdirSync(engineDir, { recursive: true });
  checkToolchain();
  await buildIfChanged(engineDir);
  return run(engineDir, port, keepData);
}

function checkToolchain() {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const javaMajor = java.error ? 0 : parseJavaMajor(java.stderr);
  if (javaMajor < MINIMUM_JAVA || !onPath('mvn')) {
    throw new ToolchainMissingError(
      'test engine needs Java 17+ and Maven on PATH: install openjdk-17-jdk-headless and maven',
    );
  }
}

// `java -version` prints `openjdk version "17.0.15" ...`; Java 8 and older print "1.8.0_x".
function parseJavaMajor(versionOutput) {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return 0;
  const first = Number(match[1]);
  return first === 1 ? Number(match[2] ?? 0) : first;
}

function onPath(command) {
  return (process.env.PATH ?? '').split(delimiter).some((directory) => {
    try {
      accessSync(join(directory, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

// Maven takes seconds even when nothing changed, so it runs only when the pom or the sources differ from
// the last successful build, or a jar on the recorded classpath has gone from the local repository.
async function buildIfChanged(engineDir) {
  const inputs = hashBuildInputs();
  if (isBuildCurrent(inputs)) return;
  const logPath = join(engineDir, 'build.log');
  process.stderr.write('test engine: building with Maven (the first build downloads about 80 MB)\n');
  const code = await runToCompletion('mvn', ['-B', '-q', '-ntp', '-f', join(PROJECT_DIR, 'pom.xml'), 'compile'], logPath);
  if (code !== 0) throw new Error(`test engine build failed (mvn exited with ${code}): see ${logPath}`);
  writeFileSync(BUILD_STAMP_FILE, `${inputs}\n`);
}

function hashBuildInputs() {
  const hash = createHash('sha256');
  for (const file of [join(PROJECT_DIR, 'pom.xml'), ...listFiles(join(PROJECT_DIR, 'src'))]) {
    hash.update(file).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

function listFiles(directory) {
  return readdirSync(directory, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => {
      const path = join(directory, entry.name);
      return entry.isDirectory() ? listFiles(path) : [path];
    });
}

function isBuildCurrent(inputs) {
  if (!existsSync(BUILD_STAMP_FILE) || !existsSync(CLASSPATH_FILE)) return false;
  if (readFileSync(BUILD_STAMP_FILE, 'utf8').trim() !== inputs) return false;
  return readClasspath().every((entry) => existsSync(entry));
}

function readClasspath() {
  return [CLASSES_DIR, ...readFileSync(CLASSPATH_FILE, 'utf8').trim().split(delimiter)];
}

function runToCompletion(command, args, logPath) {
  const log = openSync(logPath, 'w');
  const child = spawn(command, args, { stdio: ['ignore', log, log] });
  closeSync(log);
  return new Promise((resolveCode, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolveCode(code ?? signal));
  });
}

async function run(engineDir, port, keepData) {
  const logPath = join(engineDir, 'engine.log');
  const pidPath = join(engineDir, 'engine.pid');
  const log = openSync(logPath, 'w');
  const child = spawn(
    'java',
    [...JVM_OPTIONS, '-cp', readClasspath().join(delimiter), MAIN_CLASS, '--dir', engineDir, '--port', String(port), '--keep-data', String(keepData)],
    { stdio: ['ignore', 'pipe', log] },
  );
  closeSync(log);
  // The PID file exists exactly while the JVM runs, whoever stops it.
  const exited = new Promise((resolveExit) => {
    const onExit = (outcome) => {
      rmSync(pidPath, { force: true });
      resolveExit(outcome);
    };
    child.once('error', (error) => onExit(error.message));
    child.once('close', (code, signal) => onExit(code ?? signal));
  });
  const died = exited.then((outcome) => {
    throw new Error(`test engine exited (${outcome}) before it was ready: ${startupFailure(logPath)}see ${logPath}`);
  });
  // Whichever of these loses the race must not surface as an unhandled rejection.
  died.catch(() => {});

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const force = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(force);
  };

  try {
    const url = await Promise.race([listeningUrl(child.stdout), died]);
    writeFileSync(pidPath, `${child.pid}\n`);
    await Promise.race([waitForYellow(url, logPath), died]);
    return { url, pid: child.pid, stop, exited };
  } catch (error) {
    await stop();
    throw error;
  }
}

// A failed start ends the log with the main thread's exception, e.g. a port already in use.
function startupFailure(logPath) {
  const match = /^Exception in thread "main" (.*)$/m.exec(readFileSync(logPath, 'utf8'));
  return match ? `${match[1].replace(/;\s*$/, '')}; ` : '';
}

// The engine prints one line, `listening http://127.0.0.1:PORT`, once its HTTP server is bound.
function listeningUrl(stdout) {
  const lines = createInterface({ input: stdout });
  return new Promise((resolveUrl) => {
    lines.on('line', (line) => {
      const match = /^listening (http:\/\/\S+)$/.exec(line);
      if (match) resolveUrl(match[1]);
    });
  });
}

async function waitForYellow(url, logPath) {
  const response = await request(`${url}/_cluster/health?wait_for_status=yellow&timeout=${HEALTH_WAIT}`);
  const health = await response.body.json();
  if (response.statusCode !== 200 || health.timed_out) {
    throw new Error(`test engine did not reach yellow within ${HEALTH_WAIT} (status ${health.status}): see ${logPath}`);
  }
}
