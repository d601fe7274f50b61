/**
 * Everything wrong with a configuration, gathered in one pass so that a user fixes all of it at once.
 * Each problem is one line: the key, what is wrong with it, and how to fix it.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(problems.join('\n'));
    this.problems = problems;
  }
}
