// The endpoints' optional bearer token (http.auth): where it comes from, and the check of each request.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config/index.js';
import { ConfigError } from '../config/errors.js';
import { readSettingFile } from '../config/files.js';
import { Findings } from '../config/findings.js';

/** Whether a request's Authorization header carries the token. */
export type TokenCheck = (authorization: string | undefined) => boolean;

/**
 * The token from http.auth.bearer_token (e.g. O365_ELK_HTTP_AUTH_BEARER_TOKEN) or the file
 * http.auth.bearer_token_file; undefined when neither is set. Returns the warnings to log (a file
 * others can read).
 */
export function readBearerToken(http: Config['http']): { token: string | undefined; warnings: string[] } {
  const findings = new Findings();
  const { bearer_token: inline, bearer_token_file: file } = http.auth ?? {};
  let token: string | undefined;
  if (inline !== undefined && file !== undefined) {
    findings.error(['http', 'auth'], 'bearer_token and bearer_token_file are both set — keep only one');
  } else if (file !== undefined) {
    token = readSettingFile(file, ['http', 'auth', 'bearer_token_file'], findings, { holds: 'the bearer token', private: true })?.trim();
    if (token === '') findings.error(['http', 'auth', 'bearer_token_file'], `${file} is empty — put the bearer token in it`);
  } else {
    token = inline;
  }
  if (findings.errors.length > 0) throw new ConfigError(findings.errors);
  return { token, warnings: findings.warnings };
}

export function createTokenCheck(token: string): TokenCheck {
  // Digests are compared, so the comparison takes as long whatever the token's length and content.
  const expected = digest(token);
  return (authorization) => {
    const match = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
    return match !== null && timingSafeEqual(digest(match[1] ?? ''), expected);
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
