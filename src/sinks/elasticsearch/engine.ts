// Which engine answers, from `GET /`: Elasticsearch and OpenSearch differ in what the index template
// may use (flattened vs flat_object), so everything engine-specific keys off this.

export type EngineKind = 'elasticsearch' | 'opensearch';

export interface Engine {
  kind: EngineKind;
  /** `version.number`, e.g. `8.15.0` or `2.19.1`. */
  version: string;
  major: number;
  minor: number;
  /** Elasticsearch's OSS build (7.x) lacks the x-pack field types. */
  oss: boolean;
}

/** The engine described by a `GET /` body; throws a one-line error when it is not a supported one. */
export function detectEngine(body: unknown, host: string): Engine {
  const version = (body as { version?: { distribution?: unknown; number?: unknown; build_flavor?: unknown } } | undefined)?.version;
  const match = typeof version?.number === 'string' ? /^(\d+)\.(\d+)/.exec(version.number) : null;
  if (!version || match === null) {
    throw new Error(`${host} does not answer GET / as Elasticsearch or OpenSearch do (no version.number) — check output.elasticsearch.hosts`);
  }
  const engine: Engine = {
    kind: version.distribution === 'opensearch' ? 'opensearch' : 'elasticsearch',
    version: version.number as string,
    major: Number(match[1]),
    minor: Number(match[2]),
    oss: version.build_flavor === 'oss',
  };
  const tooOld = engine.kind === 'elasticsearch' ? engine.major < 7 || (engine.major === 7 && engine.minor < 10) : engine.major < 1;
  if (tooOld) {
    throw new Error(`${host} runs ${describeEngine(engine)}, which o365-elk does not support — use Elasticsearch 7.10 or later, or OpenSearch 1.0 or later`);
  }
  return engine;
}

export function describeEngine(engine: Engine): string {
  return `${engine.kind === 'opensearch' ? 'OpenSearch' : 'Elasticsearch'} ${engine.version}`;
}

/** The type that indexes an arbitrary JSON tree as one field, or undefined when the engine has none. */
export function objectTreeType(engine: Engine): 'flattened' | 'flat_object' | undefined {
  if (engine.kind === 'opensearch') return engine.major > 2 || (engine.major === 2 && engine.minor >= 7) ? 'flat_object' : undefined;
  return engine.oss ? undefined : 'flattened';
}
