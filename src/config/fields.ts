// Schemas for single settings. Each one words its own problems as "what is wrong — how to fix it";
// the caller adds the key. Values are echoed only where they cannot be secrets.
import { resolve } from 'node:path';
import { z } from 'zod';
import { parseDuration } from './duration.js';

type IssueText = (issue: { code?: string; input?: unknown }) => string | undefined;

/** Message for a setting that is missing; other problems fall through to the generic wording. */
export function whenMissing(fix: string): IssueText {
  return (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? `is required — ${fix}` : undefined);
}

/** Non-empty text, trimmed. */
export function text(fix = 'set a value or remove the key') {
  return z.string({ error: whenMissing(fix) }).trim().min(1, { error: `is empty — ${fix}`, abort: true });
}

/** Non-empty text kept exactly as written: a password or token may legitimately contain spaces. */
export function secret(fix = 'set a value or remove the key') {
  return z.string({ error: whenMissing(fix) }).min(1, { error: `is empty — ${fix}` });
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A GUID, lower-cased so that one tenant spelled two ways is still one tenant. */
export function guid(fix: string) {
  return text(fix)
    .refine((value) => GUID.test(value), { error: (issue) => `"${String(issue.input)}" is not a GUID — ${fix}` })
    .transform((value) => value.toLowerCase());
}

export function wholeNumber(bounds: { min: number; max?: number }) {
  const range = bounds.max === undefined ? `${bounds.min} or more` : `from ${bounds.min} to ${bounds.max}`;
  const outOfRange: IssueText = (issue) => `${String(issue.input)} is out of range — use a whole number ${range}`;
  const schema = z
    .number({ error: (issue) => (issue.input === undefined ? undefined : `expected a whole number ${range} — write it without quotes or units`) })
    .int({ error: outOfRange })
    .min(bounds.min, { error: outOfRange });
  return bounds.max === undefined ? schema : schema.max(bounds.max, { error: outOfRange });
}

/** A duration (`30s`, `3m`, `24h`, `7d`, or seconds) above zero, as milliseconds. */
export function duration() {
  return z.unknown().transform((value, context) => {
    try {
      const ms = parseDuration(value);
      if (ms > 0) return ms;
      context.addIssue({ code: 'custom', message: 'is zero — set a duration above zero, e.g. 30s' });
    } catch (error) {
      context.addIssue({ code: 'custom', message: (error as Error).message });
    }
    return z.NEVER;
  });
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T, fix = `use one of ${values.join(', ')}`) {
  return z.enum(values, {
    error: (issue) => (issue.input === undefined ? undefined : `"${String(issue.input)}" is not valid here — ${fix}`),
  });
}

/** A path, resolved against the directory of the configuration file. */
export function filePath(baseDir: string, fix?: string) {
  return text(fix).transform((path) => resolve(baseDir, path));
}

/** Text to quote in a message about a URL: any password in it is hidden. */
export function urlForMessage(url: string): string {
  return url.replace(/\/\/[^/@]*@/, '//[REDACTED]@');
}

export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * An http(s) URL. `base` URLs lose their trailing slash so paths can be appended; `httpsUnlessLoopback`
 * refuses plain HTTP except to this machine (the emulator), since bearer tokens travel over it.
 */
export function httpUrl(options: { example: string; base?: boolean; httpsUnlessLoopback?: boolean }) {
  return text(`set it to a URL such as ${options.example}`).transform((value, context) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      context.addIssue({ code: 'custom', message: `"${urlForMessage(value)}" is not a URL — write it in full with its scheme, e.g. ${options.example}` });
      return z.NEVER;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      context.addIssue({ code: 'custom', message: `"${urlForMessage(value)}" is not an http(s) URL — use a URL such as ${options.example}` });
      return z.NEVER;
    }
    if (options.httpsUnlessLoopback && url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
      context.addIssue({
        code: 'custom',
        message: `"${urlForMessage(value)}" uses plain HTTP — use https:// (plain HTTP is allowed only to loopback hosts such as 127.0.0.1)`,
      });
      return z.NEVER;
    }
    return options.base ? url.href.replace(/\/+$/, '') : url.href;
  });
}

const HOST_PORT = /^(?:\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?):(\d{1,5})$/i;

/** `host:port` as Logstash's Beats input is addressed. */
export function hostPort() {
  return text('write it as host:port, e.g. logstash.example.com:5044').refine(
    (value) => {
      const port = HOST_PORT.exec(value)?.[1];
      return port !== undefined && Number(port) >= 1 && Number(port) <= 65535;
    },
    { error: (issue) => `"${String(issue.input)}" is not host:port — write it as host:port, e.g. logstash.example.com:5044` },
  );
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function environmentVariableName() {
  // The value is not echoed: people paste the secret itself here by mistake.
  return text('set it to the name of the environment variable that holds the secret').refine((value) => ENV_NAME.test(value), {
    error: 'is not an environment variable name — write the name of the variable that holds the secret (e.g. O365_CLIENT_SECRET), not the secret itself',
  });
}

const THUMBPRINT_FIX =
  'copy the 40-hex-digit Thumbprint from Entra ID > App registrations > your app > Certificates & secrets, or set certificate_file instead';

/**
 * A certificate's SHA-1 thumbprint, as upper-case hex. Accepts the hex the portal shows, the colon-separated
 * form `openssl x509 -fingerprint -sha1` prints, and base64 as the seed article's openssl recipe prints it.
 */
export function thumbprint() {
  return text(THUMBPRINT_FIX).transform((value, context) => {
    const hex = value.replace(/^sha1 fingerprint=/i, '').replace(/[:\s]/g, '');
    if (/^[0-9a-f]{40}$/i.test(hex)) return hex.toUpperCase();
    if (/^[A-Za-z0-9+/_-]{27}=?$/.test(value)) {
      const bytes = Buffer.from(value, 'base64');
      if (bytes.length === 20) return bytes.toString('hex').toUpperCase();
    }
    context.addIssue({ code: 'custom', message: `"${value}" is not a SHA-1 thumbprint — ${THUMBPRINT_FIX}` });
    return z.NEVER;
  });
}

/** Logging's `json`: true, false or `auto` (JSON unless stdout is a terminal). */
export function jsonMode() {
  return z.unknown().transform((value, context) => {
    if (value === true || value === false || value === 'auto') return value;
    context.addIssue({ code: 'custom', message: `"${String(value)}" is not valid here — use true, false or auto` });
    return z.NEVER;
  });
}
