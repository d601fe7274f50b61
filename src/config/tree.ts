// Plain-object helpers for the raw (not yet validated) configuration tree.

export type Tree = Record<string, unknown>;

export function isSection(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Keys are read and written as own properties only, so that a key such as `__proto__` (from the file or
// from -E) stays an ordinary unknown key for the schema to report instead of reaching Object.prototype.
function ownValue(container: Tree | unknown[], key: string | number): unknown {
  return Object.hasOwn(container, key) ? (container as Record<string | number, unknown>)[key] : undefined;
}

function assign(container: Tree | unknown[], key: string | number, value: unknown): void {
  Object.defineProperty(container, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Deep-merges `source` into `target`: sections merge key by key, anything else replaces. */
export function mergeInto(target: Tree, source: Tree): Tree {
  for (const [key, value] of Object.entries(source)) {
    const existing = ownValue(target, key);
    assign(target, key, isSection(existing) && isSection(value) ? mergeInto(existing, value) : value);
  }
  return target;
}

/**
 * Sets the value at a dotted path, creating sections and lists on the way (a numeric segment makes a
 * list). With `merge`, a section merges into a section already there instead of replacing it. Returns a
 * problem description instead when the path cannot be set.
 */
export function setAtPath(root: Tree, path: readonly string[], value: unknown, options: { merge?: boolean } = {}): string | undefined {
  let node: Tree | unknown[] = root;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i] as string;
    const last = i === path.length - 1;
    const nextIsIndex = !last && /^\d+$/.test(path[i + 1] as string);
    if (Array.isArray(node)) {
      const index = Number(segment);
      if (!/^\d+$/.test(segment)) return `${path.slice(0, i).join('.')} is a list — address its entries by number, e.g. ${path.slice(0, i).join('.')}.0`;
      if (index > node.length) {
        return `index ${index} skips entries (${path.slice(0, i).join('.')} has ${node.length}) — use ${path.slice(0, i).join('.')}.${node.length} to add the next one`;
      }
      if (last) assign(node, index, combine(node[index], value, options.merge));
      else node = descend(node, index, nextIsIndex);
    } else if (last) {
      assign(node, segment, combine(ownValue(node, segment), value, options.merge));
    } else {
      node = descend(node, segment, nextIsIndex);
    }
  }
  return undefined;
}

function combine(existing: unknown, value: unknown, merge = false): unknown {
  return merge && isSection(existing) && isSection(value) ? mergeInto(existing, value) : value;
}

function descend(container: Tree | unknown[], key: string | number, wantList: boolean): Tree | unknown[] {
  const existing = ownValue(container, key);
  if (Array.isArray(existing) || isSection(existing)) return existing;
  // An override beats whatever scalar was there before.
  const created: Tree | unknown[] = wantList ? [] : {};
  assign(container, key, created);
  return created;
}

/**
 * Drops keys whose value is null (`key:` with nothing after it, or `-E key=`), so that they fall back to
 * their defaults, exactly as if they were not written.
 */
export function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (!isSection(value)) return value;
  const result: Tree = {};
  for (const [key, entry] of Object.entries(value)) if (entry !== null) assign(result, key, dropNulls(entry));
  return result;
}
