// How o365-elk is installed: the npm package (`npx o365-elk`), the systemd unit and the Dockerfile. No
// Docker engine runs here, so the Dockerfile is checked for what makes it right rather than built; the
// unit goes through `systemd-analyze verify` where systemd is installed, and its keys are checked always.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

describe('systemd unit', () => {
  const unit = parseUnit(read('deploy/o365-elk.service'));

  test('runs `o365-elk run` as its own unprivileged user, with its state directory, restarting on failure', () => {
    const service = unit.get('Service')!;
    assert.equal(service.get('User')?.[0], 'o365-elk');
    assert.equal(service.get('Group')?.[0], 'o365-elk');
    assert.equal(service.get('StateDirectory')?.[0], 'o365-elk');
    assert.match(service.get('ExecStart')?.[0] ?? '', /^\/usr\/bin\/npx --no -- o365-elk run -c \/etc\/o365-elk\/o365-elk\.yml$/);
    assert.equal(service.get('Restart')?.[0], 'on-failure');
    assert.equal(service.get('RestartPreventExitStatus')?.[0], '2', 'a configuration error (exit 2) must not restart in a loop');
    for (const [key, value] of [
      ['NoNewPrivileges', 'yes'],
      ['ProtectSystem', 'strict'],
      ['ProtectHome', 'yes'],
      ['PrivateTmp', 'yes'],
      ['CapabilityBoundingSet', ''],
    ]) {
      assert.equal(service.get(key!)?.[0], value, key);
    }
    assert.equal(unit.get('Install')?.get('WantedBy')?.[0], 'multi-user.target');
  });

  test('systemd-analyze verify finds nothing wrong with it', { skip: !existsSync('/usr/bin/systemd-analyze') && 'systemd is not installed' }, async () => {
    const { stdout, stderr } = await run('systemd-analyze', ['verify', join(ROOT, 'deploy/o365-elk.service')]);
    assert.equal(`${stdout}${stderr}`, '');
  });
});

describe('Dockerfile', () => {
  const stages = parseDockerfile(read('Dockerfile'));
  const ignored = read('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

  test('builds in a stage with the native toolchain, and runs on a Node LTS slim image', () => {
    assert.ok(stages.length >= 2, 'no separate build stage');
    const [build] = stages;
    const installs = build!.filter((i) => i.instruction === 'RUN').map((i) => i.argument).join('\n');
    for (const tool of [/ python3 /, / make /, / g\+\+ /]) assert.match(installs, tool, 'better-sqlite3 needs python3, make and g++ to compile');
    assert.match(installs, /npm ci\b/);
    assert.match(installs, /npm run build\b/);
    assert.match(installs, /npm prune --omit=dev\b/);
    const image = read('Dockerfile').match(/^ARG NODE_IMAGE=(\S+)$/m)?.[1];
    assert.match(image ?? '', /^node:(20|22)(-[a-z]+)?-slim$/);
  });

  test('runs as a non-root user, with its state on a volume, the HTTP port exposed and o365-elk as the entry point', () => {
    const final = stages.at(-1)!;
    const last = (name: string): string | undefined => final.filter((i) => i.instruction === name).at(-1)?.argument;
    const user = last('USER');
    assert.ok(user !== undefined && !/^(root|0)(:|$)/.test(user), `the image runs as ${user ?? 'root'}`);
    assert.match(last('VOLUME') ?? '', /"\/var\/lib\/o365-elk"/);
    assert.equal(last('EXPOSE'), '5066');
    assert.deepEqual(JSON.parse(last('ENTRYPOINT') ?? 'null'), ['node', '/app/bin/o365-elk.js']);
    assert.deepEqual(JSON.parse(last('CMD') ?? 'null'), ['run', '-c', '/etc/o365-elk/o365-elk.yml']);
  });

  test('copies only files that exist and that .dockerignore lets into the build context', () => {
    const copied = stages
      .flat()
      .filter((i) => i.instruction === 'COPY' && !i.argument.startsWith('--from'))
      .flatMap((i) => i.argument.split(/\s+/).slice(0, -1));
    assert.ok(copied.length > 0);
    for (const path of copied) {
      assert.ok(existsSync(join(ROOT, path)), `COPY ${path}: no such file`);
      assert.ok(!ignored.some((pattern) => path === pattern || path.startsWith(`${pattern}/`)), `COPY ${path}: .dockerignore leaves it out`);
    }
    for (const secret of ['*.pem', '*.key', '*.yml', 'node_modules', '.git']) assert.ok(ignored.includes(secret), `${secret} is not kept out`);
  });
});

describe('npm package', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'o365-elk-pack-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  test('`npm pack` then an install of the tarball gives a working `npx o365-elk` with the web page files', async () => {
    // `npm pack` runs `prepare`, the build, as a publish would.
    const { stdout: packed } = await run('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    const [{ filename }] = JSON.parse(packed) as [{ filename: string }];
    const project = join(scratch, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'o365-elk-pack-test', private: true }));
    // From the npm cache (filled by the repository's own install). No install scripts: better-sqlite3
    // would fetch or compile its native addon, which `--help` and the web page do not load.
    await run('npm', ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', join(scratch, filename)], { cwd: project });

    const { stdout: help } = await run('npx', ['--no', '--', 'o365-elk', '--help'], { cwd: project });
    assert.match(help, /^Usage: o365-elk /);
    for (const command of ['run', 'once', 'demo']) assert.match(help, new RegExp(`^  ${command} `, 'm'));

    // The page reads its browser files and the world shape from the installed package at start.
    const installed = join(project, 'node_modules/o365-elk');
    const probe = [
      `const { createUiRoutes } = await import(${JSON.stringify(join(installed, 'dist/http/ui/index.js'))});`,
      `const { renderWorldMap } = await import(${JSON.stringify(join(installed, 'dist/http/ui/world-map.js'))});`,
      'createUiRoutes({ signIns: {}, status: () => ({}) });',
      'process.stdout.write(String(renderWorldMap().background.length));',
    ].join('\n');
    const { stdout: drawn } = await run('node', ['--input-type=module', '-e', probe], { cwd: project });
    assert.ok(Number(drawn) > 10_000, `the world map is ${drawn} characters of SVG`);
  });
});

/** Sections of key → values (a key may repeat); comments and blank lines dropped. */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      current = new Map();
      sections.set(section[1]!, current);
      continue;
    }
    const separator = line.indexOf('=');
    assert.ok(current && separator > 0, `not a key=value line in a section: ${line}`);
    const key = line.slice(0, separator);
    current.set(key, [...(current.get(key) ?? []), line.slice(separator + 1)]);
  }
  return sections;
}

interface Instruction {
  instruction: string;
  argument: string;
}

/** The instructions of each stage, continuation lines joined. */
function parseDockerfile(text: string): Instruction[][] {
  const stages: Instruction[][] = [];
  const logical = text.replace(/\\\n/g, ' ').split('\n');
  for (const line of logical.map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const [, instruction = '', argument = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const upper = instruction.toUpperCase();
    if (upper === 'FROM') stages.push([]);
    stages.at(-1)?.push({ instruction: upper, argument: argument.replace(/\s+/g, ' ').trim() });
  }
  return stages;
}
