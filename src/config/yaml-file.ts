// Reads the YAML configuration file. Filebeat-style dotted keys (`output.elasticsearch:` at the top
// level) are expanded into nested sections, so configurations copied from Filebeat keep working.
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { Findings } from './findings.js';
import { isSection, setAtPath, type Tree } from './tree.js';

export function readConfigFile(file: string, findings: Findings): Tree | undefined {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    findings.error([], `cannot read the configuration file ${file} (${code}) — check the path given with -c`);
    return undefined;
  }
  const document = parseDocument(source, { prettyErrors: true, uniqueKeys: true });
  // Only the first syntax error: the ones after it usually follow from it.
  const [syntaxError] = document.errors;
  if (syntaxError) {
    const where = syntaxError.linePos ? `:${syntaxError.linePos[0].line}:${syntaxError.linePos[0].col}` : '';
    // Only the first line: the rest is an excerpt of the file, which may contain a secret.
    const message = (syntaxError.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    findings.error([], `${file}${where}: ${message} — fix the YAML syntax there`);
    return undefined;
  }
  const content: unknown = document.toJS({ maxAliasCount: 100 });
  if (content === null || content === undefined) return {};
  if (!isSection(content)) {
    findings.error([], `${file} does not hold settings (its top level is not a mapping) — start it with keys such as tenants: and output:`);
    return undefined;
  }
  return expandDottedKeys(content, file, findings) as Tree;
}

function expandDottedKeys(value: unknown, file: string, findings: Findings): unknown {
  if (Array.isArray(value)) return value.map((entry) => expandDottedKeys(entry, file, findings));
  if (!isSection(value)) return value;
  const result: Tree = {};
  for (const [key, entry] of Object.entries(value)) {
    const problem = setAtPath(result, key.split('.'), expandDottedKeys(entry, file, findings), { merge: true });
    if (problem) findings.error([], `${file}: key ${key}: ${problem}`);
  }
  return result;
}
