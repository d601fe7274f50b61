// Starts and stops the single-node search engines that tests and benchmarks write into: OpenSearch 2.19
// (the default; the Maven project in test-engine/) or Elasticsearch 9.5 (test-engine-elasticsearch/).
// Each is its server's jars from Maven Central, run by a small main of our own, because no tarball or
// Docker image can be downloaded where tests run.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';

const REPOSITORY = join(dirname(fileURLToPath(import.meta.url)), '..');
// Both projects compile these sources too (build-helper's add-source in each pom.xml).
const SHARED_SOURCES = join(REPOSITORY, 'test-engine-shared', 'src');
// The JVM default heap would be a quarter of the machine's memory; the OOM flag turns a wedged engine
// into a dead one that the caller notices.
const JVM_OPTIONS = ['-Xms512m', '-Xmx1g', '-XX:+ExitOnOutOfMemoryError'];
const JVM_DIRECTORY = '/usr/lib/jvm';
const HEALTH_WAIT = '120s';
const STOP_GRACE_MS = 60_000;

/** The engines this library can start, by the name `--engine` takes. */
export const ENGINES = {
  opensearch: {
    name: 'OpenSearch 2.19',
    project: join(REPOSITORY, 'test-engine'),
    mainClass: 'org.o365elk.testengine.TestEngine',
    minimumJava: 17,
    // The `java` on PATH: OpenSearch 2.19 runs on 17 and later.
    javaHomes: () => [],
    jvmOptions: [],
    downloadSize: '80 MB',
    missingToolchain: 'the OpenSearch test engine needs Java 17+ and Maven on PATH: install openjdk-17-jdk-headless and maven',
  },
  elasticsearch: {
    name: 'Elasticsearch 9.5',
    project: join(REPOSITORY, 'test-engine-elasticsearch'),
    mainClass: 'org.o365elk.testengine.elasticsearch.ElasticsearchTestEngine',
    // The server's classes are Java 21 bytecode.
    minimumJava: 21,
    javaHomes: () => [process.env.JAVA_HOME, pathJavaHome(), ...listJvmDirectory()],
    // Elasticsearch calls native code (zstd) through the foreign function API.
    jvmOptions: ['--enable-native-access=ALL-UNNAMED'],
    downloadSize: '50 MB',
    missingToolchain: `the Elasticsearch test engine needs Java 21+ (none in JAVA_HOME, on PATH or in ${JVM_DIRECTORY}) and Maven on PATH: install a JDK 21 or later and set JAVA_HOME to it`,
  },
};

// Engines started side by side build one after the other: two Maven runs at once would download the
// same plugins into the one local repository together.
let previousBuild = Promise.resolve();

/** Java or Maven is missing or too old; the message says what to install. */
export class ToolchainMissingError extends Error {}

/**
 * Builds the engine if its sources changed, starts it with a fresh data directory under `dir`, and
 * resolves once the cluster is yellow. `engine` is a key of ENGINES (OpenSearch when omitted). Port 0
 * (the default) lets the OS choose a free port. `keepData` keeps what an engine stopped earlier left
 * under `dir`, so that a test can restart it.
 */
export async function startTestEngine({ engine = 'opensearch', dir, port = 0, keepData = false }) {
  if (!Object.hasOwn(ENGINES, engine)) throw new Error(`unknown test engine "${engine}": use one of ${Object.keys(ENGINES).join(', ')}`);
  const kind = ENGINES[engine];
  if (typeof dir !== 'string' || dir === '') throw new Error('test engine needs a directory: pass { dir }');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`test engine port must be an integer from 0 to 65535, got ${port}`);
  }
  const engineDir = resolve(dir);
  mkdirSync(engineDir, { recursive: true });
  refuseIfInUse(engineDir);
  const java = findToolchain(kind);
  const project = mavenProject(kind.project);
  const build = previousBuild.then(() => buildIfChanged(kind, project, java, engineDir));
  previousBuild = build.catch(() => {});
  await build;
  return run(kind, project, java, engineDir, port, keepData);
}

/** A second engine in the same directory would delete the first one's data under it, or fail on its lock. */
function refuseIfInUse(engineDir) {
  const pidPath = join(engineDir, 'engine.pid');
  if (!existsSync(pidPath)) return;
  const pid = Number(readFileSync(pidPath, 'utf8').trim());
  try {
    process.kill(pid, 0);
  } catch {
    return;
  }
  throw new Error(`test engine directory ${engineDir} is in use by the engine with PID ${pid}: stop that engine or choose another directory`);
}

/**
 * The Java that runs (and Maven that builds) the engine: the first of the engine's candidate Java homes
 * that is new enough, else the `java` on PATH. `env` carries the chosen JAVA_HOME to Maven, so that the
 * compiler matches the runtime.
 */
function findToolchain(kind) {
  if (!onPath('mvn')) throw new ToolchainMissingError(kind.missingToolchain);
  for (const home of kind.javaHomes()) {
    if (typeof home !== 'string' || home === '') continue;
    const command = join(home, 'bin', 'java');
    if (javaMajor(command) >= kind.minimumJava) return { command, env: { ...process.env, JAVA_HOME: home } };
  }
  if (javaMajor('java') >= kind.minimumJava) return { command: 'java', env: process.env };
  throw new ToolchainMissingError(kind.missingToolchain);
}

function javaMajor(command) {
  const java = spawnSync(command, ['-version'], { encoding: 'utf8' });
  return java.error ? 0 : parseJavaMajor(java.stderr);
}

/** The home of the `java` on PATH (`/usr/bin/java` is a chain of links into it), if there is one. */
function pathJavaHome() {
  for (const directory of (process.env.PATH ?? '').split(delimiter)) {
    try {
      return dirname(dirname(realpathSync(join(directory, 'java'))));
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** Every JDK installed the Debian way (`/usr/lib/jvm/NAME`); none when the folder is missing. */
function listJvmDirectory() {
  try {
    return readdirSync(JVM_DIRECTORY).map((name) => join(JVM_DIRECTORY, name));
  } catch {
    return [];
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

function mavenProject(directory) {
  const target = join(directory, 'target');
  return {
    directory,
    classes: join(target, 'classes'),
    classpathFile: join(target, 'classpath.txt'),
    buildStampFile: join(target, 'build-inputs.sha256'),
  };
}

// Maven takes seconds even when nothing changed, so it runs only when the pom, the project's sources or
// the shared ones differ from the last successful build, or a jar on the recorded classpath has gone
// from the local repository.
async function buildIfChanged(kind, project, java, engineDir) {
  const inputs = hashBuildInputs(project);
  if (isBuildCurrent(project, inputs)) return;
  const logPath = join(engineDir, 'build.log');
  process.stderr.write(`test engine: building ${kind.name} with Maven (the first build downloads about ${kind.downloadSize})\n`);
  const code = await runToCompletion('mvn', ['-B', '-q', '-ntp', '-f', join(project.directory, 'pom.xml'), 'compile'], java.env, logPath);
  if (code !== 0) throw new Error(`test engine build failed (mvn exited with ${code}): see ${logPath}`);
  writeFileSync(project.buildStampFile, `${inputs}\n`);
}

function hashBuildInputs(project) {
  const hash = createHash('sha256');
  const sources = [join(project.directory, 'src'), SHARED_SOURCES].flatMap(listFiles);
  for (const file of [join(project.directory, 'pom.xml'), ...sources]) {
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

function isBuildCurrent(project, inputs) {
  if (!existsSync(project.buildStampFile) || !existsSync(project.classpathFile)) return false;
  if (readFileSync(project.buildStampFile, 'utf8').trim() !== inputs) return false;
  return readClasspath(project).every((entry) => existsSync(entry));
}

function readClasspath(project) {
  return [project.classes, ...readFileSync(project.classpathFile, 'utf8').trim().split(delimiter)];
}

function runToCompletion(command, args, env, logPath) {
  const log = openSync(logPath, 'w');
  const child = spawn(command, args, { env, stdio: ['ignore', log, log] });
  closeSync(log);
  return new Promise((resolveCode, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolveCode(code ?? signal));
  });
}

async function run(kind, project, java, engineDir, port, keepData) {
  const logPath = join(engineDir, 'engine.log');
  const pidPath = join(engineDir, 'engine.pid');
  const log = openSync(logPath, 'w');
  const child = spawn(
    java.command,
    [
      ...JVM_OPTIONS,
      ...kind.jvmOptions,
      '-cp',
      readClasspath(project).join(delimiter),
      kind.mainClass,
      '--dir',
      engineDir,
      '--port',
      String(port),
      '--keep-data',
      String(keepData),
    ],
    { env: java.env, stdio: ['ignore', 'pipe', log] },
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
