import { chmodSync, mkdirSync, openSync, closeSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes a file readable by its owner only (mode 0600), whatever the umask, because it holds a secret
 * or state. An existing file is truncated and its mode tightened.
 */
export function writePrivateFile(path: string, content: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'w', 0o600);
  try {
    // writeFileSync loops until every byte is written; a single write(2) may stop short on a full disk.
    writeFileSync(fd, content);
  } finally {
    closeSync(fd);
  }
  chmodSync(path, 0o600);
}
