// What every operation handler receives and answers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Caller } from './access.js';

export interface OperationContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** The origin the client used (scheme from the connection, host from the Host header). */
  origin: string;
  caller: Caller;
  /** The PublisherIdentifier, or the shared all-zero GUID when absent. */
  publisherId: string;
  /** The last path segment of blob requests (the contentId as sent); empty for other operations. */
  resourceId: string;
}

/** A JSON answer (no body: an empty one), or 'streamed' when the handler wrote the response itself. */
export type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | 'streamed';

export type Operation = (context: OperationContext) => Promise<Reply>;
