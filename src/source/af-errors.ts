// The Management Activity API's error answers: the `{"error":{"code":"AFxxxxx","message":…}}` body and
// what each code means for the client (contract §3.2). HTTP statuses are undocumented, so the code wins
// and the status only decides when there is no code.

/** What to do about a non-2xx answer. */
export type ResponseClass =
  /** Throttled or a passing server fault: wait and send again. */
  | 'retry'
  /** Bad tenant, parameters or permissions for the whole tenant: stop, a human must act. */
  | 'fatal'
  /** The app may not read this content type (missing role): disable that stream only. */
  | 'forbidden'
  /** No (enabled) subscription for the content type: start it, then retry. */
  | 'resubscribe'
  /** The listing window was refused (7-day limit or clocks apart): clamp with the server's clock and retry. */
  | 'window'
  /** A next-page link the service no longer knows: list the window again from its first page. */
  | 'stale-page'
  /** The blob's content has expired: report it lost, do not retry. */
  | 'expired'
  /** The blob does not exist (or its id is invalid): report, do not retry. */
  | 'missing'
  /** `/start` on a subscription that is already enabled. */
  | 'already-enabled'
  /** 401 without an AF code: the bearer token itself was refused. */
  | 'token-rejected';

export interface AfError {
  code?: string;
  message?: string;
}

const FATAL_CODES = new Set(['AF20001', 'AF20002', 'AF20003', 'AF20010', 'AF20011', 'AF20012', 'AF20013', 'AF20020', 'AF20021']);
const RETRY_CODES = new Set(['AF429', 'AF50000', 'AF50005', 'AF50006']);

/** The AF code and message of an error body, whatever shape it came in. */
export function parseAfError(body: string): AfError {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    const code = parsed.error?.code;
    const message = parsed.error?.message;
    return {
      ...(typeof code === 'string' ? { code } : {}),
      ...(typeof message === 'string' ? { message: message.replace(/\s+/g, ' ').trim().slice(0, 300) } : {}),
    };
  } catch {
    return {};
  }
}

export function classifyResponse(status: number, code: string | undefined): ResponseClass {
  if (code !== undefined) {
    if (RETRY_CODES.has(code)) return 'retry';
    if (FATAL_CODES.has(code)) return 'fatal';
    switch (code) {
      case 'AF10001':
        return 'forbidden';
      case 'AF20022':
      case 'AF20023':
        return 'resubscribe';
      case 'AF20024':
        return 'already-enabled';
      case 'AF20030':
      case 'AF20055':
        return 'window';
      case 'AF20031':
        return 'stale-page';
      case 'AF20051':
        return 'expired';
      case 'AF20050':
      case 'AF20052':
        return 'missing';
    }
  }
  if (status === 429 || status === 408 || status >= 500) return 'retry';
  if (status === 401) return 'token-rejected';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'missing';
  return 'fatal';
}
