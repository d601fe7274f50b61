/** Exit codes of every command: 0 success, 1 completed with losses, 2 configuration or authentication error. */
export const EXIT_OK = 0;
export const EXIT_PARTIAL = 1;
export const EXIT_CONFIG = 2;

/** Prints an error that ends a command as one line, without a stack trace, and exits. */
export function reportFatal(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`o365-elk: ${message}\n`);
  process.exit(EXIT_CONFIG);
}
