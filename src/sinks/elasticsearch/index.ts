// The Elasticsearch/OpenSearch output.
export { OutputClosedError, type BackoffPolicy } from './bulk-sender.js';
export { describeEngine, type Engine, type EngineKind } from './engine.js';
export { parseIndexTarget, type IndexTarget } from './index-target.js';
export {
  createElasticsearchSink,
  DEFAULT_BACKOFF,
  DEFAULT_BULK_MAX_BYTES,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type ElasticsearchSink,
  type ElasticsearchSinkOptions,
} from './sink.js';
export { TEMPLATE_PRIORITY, TEMPLATE_VERSION } from './templates.js';
