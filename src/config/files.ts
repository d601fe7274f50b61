// Reads files that settings point at, turning every way that can fail into a problem naming the key.
import { readFileSync, statSync } from 'node:fs';
import type { Findings, KeyPath } from './findings.js';

export interface SettingFile {
  /** What the file should hold, for messages: "the client secret", "the PEM private key". */
  holds: string;
  /** Holds a secret: other users being able to read it earns a warning. */
  private?: boolean;
}

export function readSettingFile(file: string, path: KeyPath, findings: Findings, options: SettingFile): string | undefined {
  let mode: number;
  try {
    const stats = statSync(file);
    if (stats.isDirectory()) {
      findings.error(path, `${file} is a directory — point it at the file that holds ${options.holds}`);
      return undefined;
    }
    mode = stats.mode;
  } catch (error) {
    findings.error(path, describeFailure(file, error as NodeJS.ErrnoException, options));
    return undefined;
  }
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (error) {
    findings.error(path, describeFailure(file, error as NodeJS.ErrnoException, options));
    return undefined;
  }
  if (options.private && (mode & 0o077) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(4, '0');
    findings.warn(path, `${file} can be read by other users (mode ${octal}) — restrict it with chmod 600 ${file}`);
  }
  return content;
}

function describeFailure(file: string, error: NodeJS.ErrnoException, options: SettingFile): string {
  switch (error.code) {
    case 'ENOENT':
      return `${file} does not exist — create it with ${options.holds}, or correct the path`;
    case 'EACCES':
    case 'EPERM':
      return `${file} cannot be read (permission denied) — let the user running o365-elk read it`;
    default:
      return `${file} cannot be read (${error.code ?? error.message}) — check the path and the file`;
  }
}
