// The real search engine the tests write into. `npm test` starts one and sets the variable; a test
// run without it fails loudly rather than skipping, so a green run always means the engine was used.
export function testEngineUrl(): string {
  const url = process.env.O365_ELK_TEST_ENGINE_URL;
  if (!url) {
    throw new Error('O365_ELK_TEST_ENGINE_URL is not set: run the tests with `npm test`, or start an engine with `npm run test-engine -- --dir DIR` and export its URL');
  }
  return url.replace(/\/+$/, '');
}

export type EngineFlavour = 'elasticsearch' | 'opensearch';

/** Which engine answers at `url`, as its `GET /` says: OpenSearch names its distribution, Elasticsearch does not. */
export async function engineFlavour(url: string): Promise<EngineFlavour> {
  const response = await fetch(`${url}/`);
  const body = (await response.json()) as { version?: { distribution?: string; number?: string } };
  if (response.status !== 200 || typeof body.version?.number !== 'string') {
    throw new Error(`${url} answered GET / with ${response.status} and no version.number: is it a search engine?`);
  }
  return body.version.distribution === 'opensearch' ? 'opensearch' : 'elasticsearch';
}
