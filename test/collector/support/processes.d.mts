// Types for processes.mjs, so the TypeScript tests can use it.

export declare const REPOSITORY: string;

export interface TruthRecord {
  id: string;
  tenantId: string;
}

export interface EmulatorStats {
  requests: { tenant: string; operation: string; status: number; count: number }[];
  inFlight: { tenant: string; operation: string; count: number }[];
}

export interface RunningEmulator {
  /** `https://127.0.0.1:PORT`, as printed on `ready`. */
  readonly url: string;
  readonly dir: string;
  /** `GET /_emulator/records`: what a perfect client can have collected now; `lost`: what nobody can. */
  records(options?: { lost?: boolean }): Promise<TruthRecord[]>;
  recordIds(options?: { lost?: boolean }): Promise<Set<string>>;
  /** `GET /_emulator/stats`: requests answered, and requests still waiting for their answer to end. */
  stats(): Promise<EmulatorStats>;
  /** Moves the emulator's virtual clock forward. */
  advanceClock(seconds: number): Promise<void>;
  /** SIGTERM, and waits for the exit. */
  stop(): Promise<void>;
}

/** `o365-elk emulator --dir DIR ARGS`; resolves once it printed `ready <url>`. */
export declare function startEmulator(options: { dir: string; args?: string[] }): Promise<RunningEmulator>;

export interface CollectorExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** From spawn to exit. */
  ms: number;
}

export interface CollectorProcess {
  readonly pid: number | undefined;
  readonly exited: Promise<CollectorExit>;
  /** What it wrote to stderr so far. */
  stderr(): string;
  kill(signal: NodeJS.Signals): void;
}

export interface CollectorOptions {
  command: 'once' | 'run' | 'backfill';
  /** Path of connector.yml. */
  config: string;
  /** More arguments, e.g. `-E key=value`. */
  args?: string[];
  /** Added to this process's environment, from which every O365_ELK_* variable is removed first. */
  env?: Record<string, string>;
  /** Bytes (a multiple of 512) no file may grow past, as on a full disk: writes past it are cut short, then fail with EFBIG. */
  fileSizeLimit?: number;
}

export declare function startCollector(options: CollectorOptions): CollectorProcess;
export declare function runCollector(options: CollectorOptions): Promise<CollectorExit>;

export interface BrokenLine {
  file: string;
  line: number;
  /** No newline follows it: the tail of a write that a crash cut short. */
  unterminated: boolean;
}

export declare function readOutput(dir: string): { ids: string[]; broken: BrokenLine[]; files: number };

export declare function compareIds(
  outputIds: Iterable<string>,
  truthIds: Iterable<string>,
): { missing: string[]; extra: string[]; duplicateLines: number };

export declare function readLedgerBlobs(path: string): { contentId: string; records: number; outcome: string }[];
