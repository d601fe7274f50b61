/** Exit codes of every command: 0 success, 1 completed with losses, 2 configuration or authentication error. */
export const EXIT_OK = 0;
export const EXIT_PARTIAL = 1;
export const EXIT_CONFIG = 2;

/**
 * Prints an error that ends a command without a stack trace, one line per problem (a configuration
 * error may list several), and exits with the configuration/authentication code.
 */
export function reportFatal(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  for (const line of message.split('\n')) process.stderr.write(`o365-elk: ${line}\n`);
  process.exit(EXIT_CONFIG);
}
