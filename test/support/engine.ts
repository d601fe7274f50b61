// The real search engine the tests write into. `npm test` starts one and sets the variable; a test
// run without it fails loudly rather than skipping, so a green run always means the engine was used.
export function testEngineUrl(): string {
  const url = process.env.O365_ELK_TEST_ENGINE_URL;
  if (!url) {
    throw new Error('O365_ELK_TEST_ENGINE_URL is not set: run the tests with `npm test`, or start an engine with `npm run test-engine -- --dir DIR` and export its URL');
  }
  return url.replace(/\/+$/, '');
}
