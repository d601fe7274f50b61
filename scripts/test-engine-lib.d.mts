// Types for test-engine-lib.mjs, so TypeScript tests and benchmarks can start the engine.

/** Java or Maven is missing or too old; the message says what to install. */
export declare class ToolchainMissingError extends Error {}

export interface TestEngine {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  /** The engine JVM's process id (also written to DIR/engine.pid while it runs). */
  readonly pid: number;
  /** Stops the JVM (SIGTERM, SIGKILL if it has not exited after a minute) and removes DIR/engine.pid. */
  stop(): Promise<void>;
  /** Settles when the JVM exits, for whatever reason. */
  readonly exited: Promise<void>;
}

/**
 * Builds the engine if its sources changed, starts it with a fresh data directory under `dir`, and
 * resolves once the cluster is yellow. Port 0 (the default) lets the OS choose a free port. The JVM also
 * stops by itself when the calling process dies.
 */
export declare function startTestEngine(options: { dir: string; port?: number }): Promise<TestEngine>;
