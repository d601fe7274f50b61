// Sorts failures below HTTP (no response at all) into what the caller can do about them.

export type TransportFailureKind =
  /** The server's certificate was not trusted or did not match: retrying will not help. */
  | 'tls'
  /** No answer in time. */
  | 'timeout'
  /** Refused, reset, or closed mid-transfer. */
  | 'connection'
  /** The caller gave up (AbortSignal). */
  | 'aborted';

export interface TransportFailure {
  kind: TransportFailureKind;
  /** Short reason without secrets, e.g. `ECONNREFUSED` or `SELF_SIGNED_CERT_IN_CHAIN`. */
  reason: string;
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);
const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ALTNAME|HOSTNAME_MISMATCH|ERR_OSSL/;

/** The transport failure an error stands for, or undefined when it is not one (e.g. a programming error). */
export function classifyTransportError(error: unknown): TransportFailure | undefined {
  for (const candidate of causeChain(error)) {
    const { name, code } = candidate as { name?: unknown; code?: unknown };
    if (name === 'AbortError' || code === 'UND_ERR_ABORTED' || code === 'ABORT_ERR') {
      return { kind: 'aborted', reason: 'aborted' };
    }
    if (typeof code !== 'string') continue;
    if (TIMEOUT_CODES.has(code)) return { kind: 'timeout', reason: code };
    if (TLS_CODE.test(code)) return { kind: 'tls', reason: code };
    if (code.startsWith('E') || code.startsWith('UND_ERR')) return { kind: 'connection', reason: code };
  }
  const message = error instanceof Error ? error.message : '';
  if (/terminated|other side closed|socket hang up/i.test(message)) return { kind: 'connection', reason: message };
  return undefined;
}

function* causeChain(error: unknown): Generator<object> {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    yield current;
    current = (current as { cause?: unknown }).cause;
  }
}
