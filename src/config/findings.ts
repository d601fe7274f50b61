// Collects the problems and warnings found while loading a configuration, each as one line that names
// the key (and, when the value did not come from the YAML file, where it did come from).

export type KeyPath = readonly (string | number)[];

/** `tenants[0].auth.client_secret`, the spelling used in every message. */
export function formatKey(path: KeyPath): string {
  let key = '';
  for (const segment of path) {
    if (typeof segment === 'number' || /^\d+$/.test(segment)) key += `[${segment}]`;
    else key += key === '' ? segment : `.${segment}`;
  }
  return key;
}

export type Origin =
  | { kind: 'environment'; variable: string }
  | { kind: 'expanded'; variable: string }
  | { kind: 'command-line' };

/** Where values that did not come verbatim from the YAML file came from, by key. */
export class Origins {
  private readonly byKey = new Map<string, Origin>();

  set(path: KeyPath, origin: Origin): void {
    const id = path.join('.');
    // A value set over a whole section replaces whatever its keys said before.
    for (const key of this.byKey.keys()) if (key.startsWith(`${id}.`)) this.byKey.delete(key);
    this.byKey.set(id, origin);
  }

  /** The origin of the value at `path`, or of the nearest section above it that was set as a whole. */
  of(path: KeyPath): Origin | undefined {
    for (let length = path.length; length > 0; length--) {
      const origin = this.byKey.get(path.slice(0, length).join('.'));
      if (origin) return origin;
    }
    return undefined;
  }
}

function describeOrigin(origin: Origin): string {
  switch (origin.kind) {
    case 'environment':
      return `from environment variable ${origin.variable}`;
    case 'expanded':
      return `from \${${origin.variable}}`;
    case 'command-line':
      return 'from -E';
  }
}

export class Findings {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];
  private readonly keysWithErrors = new Set<string>();

  constructor(readonly origins: Origins = new Origins()) {}

  /** One problem per key: a later check tripping over the same bad value would only repeat it. */
  error(path: KeyPath, text: string): void {
    const id = path.length === 0 ? undefined : path.join('.');
    if (id !== undefined && this.keysWithErrors.has(id)) return;
    if (id !== undefined) this.keysWithErrors.add(id);
    this.errors.push(this.line(path, text));
  }

  warn(path: KeyPath, text: string): void {
    this.warnings.push(this.line(path, text));
  }

  private line(path: KeyPath, text: string): string {
    if (path.length === 0) return `config: ${text}`;
    const origin = this.origins.of(path);
    const from = origin ? ` (${describeOrigin(origin)})` : '';
    return `config: ${formatKey(path)}${from}: ${text}`;
  }
}
