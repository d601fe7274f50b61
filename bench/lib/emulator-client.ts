// The emulator's control routes, read over HTTPS with its CA: request counts and the ground truth.
import { createInterface } from 'node:readline';
import { Agent, request } from 'undici';

export interface RequestCount {
  tenant: string;
  /** The API path after `feed/` (`subscriptions/content`, `audit/{contentId}`, …), `token` or `graph`. */
  operation: string;
  status: number;
  count: number;
}

export interface EmulatorClient {
  requestCounts(): Promise<RequestCount[]>;
  /** The Id of every distinct record a perfect client could obtain now. */
  groundTruthIds(): Promise<Set<string>>;
  close(): Promise<void>;
}

export function connectEmulator(url: string, caPem: string): EmulatorClient {
  const dispatcher = new Agent({ connect: { ca: caPem } });

  const get = async (path: string) => {
    const response = await request(new URL(path, url), { dispatcher });
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new Error(`the emulator answered ${response.statusCode} to GET ${path}; is it the version of this repository?`);
    }
    return response.body;
  };

  return {
    async requestCounts() {
      const { requests } = (await (await get('/_emulator/stats')).json()) as { requests: RequestCount[] };
      return requests;
    },
    async groundTruthIds() {
      const ids = new Set<string>();
      for await (const line of createInterface({ input: await get('/_emulator/records'), crlfDelay: Infinity })) {
        if (line !== '') ids.add((JSON.parse(line) as { Id: string }).Id);
      }
      return ids;
    },
    close: () => dispatcher.close(),
  };
}

/** Management Activity API requests made between two snapshots (token and Graph requests excluded). */
export function apiRequestsBetween(before: RequestCount[], after: RequestCount[]): { total: number; byOperation: Map<string, number> } {
  const key = (c: RequestCount) => `${c.tenant} ${c.operation} ${c.status}`;
  const earlier = new Map(before.map((c) => [key(c), c.count]));
  const byOperation = new Map<string, number>();
  let total = 0;
  for (const count of after) {
    if (count.operation === 'token' || count.operation === 'graph' || count.operation === 'other') continue;
    const made = count.count - (earlier.get(key(count)) ?? 0);
    if (made === 0) continue;
    total += made;
    const label = `${count.operation} ${count.status}`;
    byOperation.set(label, (byOperation.get(label) ?? 0) + made);
  }
  return { total, byOperation };
}
