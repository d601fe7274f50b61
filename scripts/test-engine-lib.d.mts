// Types for test-engine-lib.mjs, so TypeScript tests and benchmarks can start the engine.

/** Java or Maven is missing or too old; the message says what to install. */
export declare class ToolchainMissingError extends Error {}

/** The engines startTestEngine can start: a real single-node OpenSearch 2.19 or Elasticsearch 9.5. */
export type TestEngineKind = 'opensearch' | 'elasticsearch';

export declare const ENGINES: Readonly<Record<TestEngineKind, { readonly name: string }>>;

export interface TestEngine {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  /** The engine JVM's process id, also in DIR/engine.pid while the JVM runs. */
  readonly pid: number;
  /** Stops the JVM: SIGTERM, then SIGKILL if it has not exited after a minute. */
  stop(): Promise<void>;
  /** Resolves when the JVM exits, for whatever reason, with its exit code or the signal that ended it. */
  readonly exited: Promise<number | string>;
}

/**
 * Builds the engine if its sources changed, starts it with a fresh data directory under `dir`, and
 * resolves once the cluster is yellow. `engine` defaults to OpenSearch; Elasticsearch needs Java 21+
 * (found through JAVA_HOME, PATH or /usr/lib/jvm). Port 0 (the default) lets the OS choose a free port. The JVM also
 * stops by itself when the calling process dies. `keepData` keeps the indices an engine stopped earlier
 * left under `dir` (restart it on the port it had, so that clients find it again).
 */
export declare function startTestEngine(options: { engine?: TestEngineKind; dir: string; port?: number; keepData?: boolean }): Promise<TestEngine>;
