// Compiles the connector (tsc, tsconfig.build.json) into a scratch directory, so that the benchmark
// measures the JavaScript users run, not the TypeScript loader the tests use (tsx adds about 50 MB of
// RSS and its own CPU at startup). The repository's dist/ is left alone.
import { execFile } from 'node:child_process';
import { existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPOSITORY_ROOT } from './child-process.js';

const TSC = join(REPOSITORY_ROOT, 'node_modules/typescript/bin/tsc');

/** Returns the path of the compiled CLI entry point (`cli/main.js`). */
export async function buildConnector(directory: string): Promise<string> {
  const outDir = join(directory, 'build');
  const main = join(outDir, 'cli', 'main.js');
  let complaint = '';
  try {
    await promisify(execFile)(process.execPath, [TSC, '-p', join(REPOSITORY_ROOT, 'tsconfig.build.json'), '--outDir', outDir]);
  } catch (error) {
    // tsc still writes the JavaScript when it finds type errors (work in progress elsewhere in the tree).
    const failure = error as { stdout?: string; message: string };
    complaint = failure.stdout?.split('\n')[0] || failure.message;
  }
  if (!existsSync(main)) throw new Error(`compiling the connector with tsc failed: ${complaint}; run npm run typecheck to see why`);
  // The compiled modules are ES modules, and find their dependencies through this link.
  writeFileSync(join(directory, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(join(REPOSITORY_ROOT, 'node_modules'), join(directory, 'node_modules'), 'dir');
  return main;
}
