// A Kibana Query Language (KQL) evaluator for the tests: parses a query and decides whether one
// document (its `_source`) matches, as Elasticsearch would for the index mapping o365-elk installs.
//
// Supported, with Kibana's grammar and precedence (not > and > or, parentheses): `field:value`,
// quoted phrases, wildcards in values (`*PowerShell*`) and in field names (`user.*`), value lists
// `f:(a or b and not c)`, `f:*` (exists), ranges (`f >= 100`), and the escapes of unquoted and quoted
// text (`\(`, `\"`, `\u0000`, `\and`…). Matching follows the keyword semantics of the template:
// exact and case-sensitive; a field with several values matches when any value does.
//
// Simplified: every field is keyword-like (no rule reads a `text` field, so no analysis is done);
// numbers and booleans compare by their JSON text (`5` matches 5, `true` matches true), as a keyword
// or flattened field indexes them; ranges compare numerically where the value is a JSON number outside
// a flattened field, and as text inside one (`flattenedPrefixes`), as Elasticsearch's flattened type
// does; `f:*` tests for a value at exactly that path, at any depth, as Elasticsearch's flattened type
// does (OpenSearch's flat_object finds first-level keys only); nested queries `f:{…}` are refused.

export interface KqlOptions {
  /** Fields mapped as one flattened/flat_object tree: their leaves are keywords, ranges compare text. */
  flattenedPrefixes?: readonly string[];
}

type Segment = { literal: string } | { wildcard: true };
interface Term {
  kind: 'term';
  segments: Segment[];
}
type ValueNode = Term | { kind: 'or' | 'and'; nodes: ValueNode[] } | { kind: 'not'; node: ValueNode };
type RangeOperator = '<' | '<=' | '>' | '>=';
export type KqlNode =
  | { kind: 'or' | 'and'; nodes: KqlNode[] }
  | { kind: 'not'; node: KqlNode }
  | { kind: 'match'; field: string; value: ValueNode }
  | { kind: 'range'; field: string; operator: RangeOperator; value: string };

type Token =
  | { type: 'punct'; text: '(' | ')' | ':' | '{' | '}' | RangeOperator }
  | { type: 'keyword'; text: 'or' | 'and' | 'not' }
  | { type: 'literal'; segments: Segment[]; quoted: boolean };

const SPECIAL = new Set(['\\', '(', ')', ':', '<', '>', '"', '*', '{', '}']);
const WHITESPACE = /\s/;

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const char = query[i] as string;
    if (WHITESPACE.test(char)) {
      i++;
    } else if (char === '<' || char === '>') {
      const operator = (query[i + 1] === '=' ? `${char}=` : char) as RangeOperator;
      tokens.push({ type: 'punct', text: operator });
      i += operator.length;
    } else if (char === '(' || char === ')' || char === ':' || char === '{' || char === '}') {
      tokens.push({ type: 'punct', text: char });
      i++;
    } else if (char === '"') {
      const [literal, end] = quoted(query, i + 1);
      tokens.push({ type: 'literal', segments: [{ literal }], quoted: true });
      i = end;
    } else {
      const [segments, end, plain] = unquoted(query, i);
      const word = plain?.toLowerCase();
      if (word === 'or' || word === 'and' || word === 'not') tokens.push({ type: 'keyword', text: word });
      else tokens.push({ type: 'literal', segments, quoted: false });
      i = end;
    }
  }
  return tokens;
}

/** A quoted phrase from after its opening quote: its text and the index after the closing quote. */
function quoted(query: string, start: number): [string, number] {
  let text = '';
  let i = start;
  while (i < query.length && query[i] !== '"') {
    if (query[i] === '\\') {
      const escaped = escapeAt(query, i, ['\\', '"']);
      if (escaped !== undefined) {
        text += escaped.text;
        i = escaped.end;
        continue;
      }
    }
    text += query[i];
    i++;
  }
  if (i >= query.length) throw new Error(`KQL: unterminated quoted phrase at ${start - 1}`);
  return [text, i + 1];
}

/** An unquoted literal: its segments, the index after it, and its text when it has no escape or wildcard (a keyword candidate). */
function unquoted(query: string, start: number): [Segment[], number, string | undefined] {
  const segments: Segment[] = [];
  let text = '';
  let plain = true;
  let i = start;
  const flush = () => {
    if (text !== '') segments.push({ literal: text });
    text = '';
  };
  while (i < query.length) {
    const char = query[i] as string;
    if (WHITESPACE.test(char)) break;
    if (char === '\\') {
      const escaped = escapeAt(query, i, [...SPECIAL]) ?? escapedKeyword(query, i);
      if (escaped === undefined) throw new Error(`KQL: a lone backslash at ${i} must be escaped as \\\\`);
      text += escaped.text;
      i = escaped.end;
      plain = false;
      continue;
    }
    if (char === '*') {
      flush();
      segments.push({ wildcard: true });
      plain = false;
      i++;
      continue;
    }
    if (SPECIAL.has(char)) break;
    text += char;
    i++;
  }
  flush();
  if (segments.length === 0) throw new Error(`KQL: expected a value at ${start}`);
  const only = segments[0];
  return [segments, i, plain && segments.length === 1 && only !== undefined && 'literal' in only ? only.literal : undefined];
}

function escapeAt(query: string, i: number, escapable: string[]): { text: string; end: number } | undefined {
  const next = query[i + 1];
  if (next === undefined) return undefined;
  if (next === 't' || next === 'r' || next === 'n') return { text: next === 't' ? '\t' : next === 'r' ? '\r' : '\n', end: i + 2 };
  if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(query.slice(i + 2, i + 6))) return { text: String.fromCharCode(parseInt(query.slice(i + 2, i + 6), 16)), end: i + 6 };
  if (escapable.includes(next)) return { text: next, end: i + 2 };
  return undefined;
}

function escapedKeyword(query: string, i: number): { text: string; end: number } | undefined {
  const match = /^\\(or|and|not)\b/i.exec(query.slice(i));
  return match === null ? undefined : { text: match[1] as string, end: i + match[0].length };
}

class Parser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): KqlNode {
    const node = this.orQuery();
    if (this.position < this.tokens.length) throw new Error(`KQL: unexpected ${describe(this.peek())} at token ${this.position}`);
    return node;
  }

  private orQuery(): KqlNode {
    const nodes = [this.andQuery()];
    while (this.accept('keyword', 'or')) nodes.push(this.andQuery());
    return nodes.length === 1 ? (nodes[0] as KqlNode) : { kind: 'or', nodes };
  }

  private andQuery(): KqlNode {
    const nodes = [this.notQuery()];
    while (this.accept('keyword', 'and')) nodes.push(this.notQuery());
    return nodes.length === 1 ? (nodes[0] as KqlNode) : { kind: 'and', nodes };
  }

  private notQuery(): KqlNode {
    if (this.accept('keyword', 'not')) return { kind: 'not', node: this.subQuery() };
    return this.subQuery();
  }

  private subQuery(): KqlNode {
    if (this.accept('punct', '(')) {
      const node = this.orQuery();
      this.expect('punct', ')');
      return node;
    }
    const field = this.fieldName();
    const next = this.next();
    if (next?.type === 'punct' && next.text === ':') {
      if (this.peek()?.type === 'punct' && (this.peek() as { text: string }).text === '{') throw new Error('KQL: nested queries f:{…} are not supported');
      return { kind: 'match', field, value: this.listOfValues() };
    }
    if (next?.type === 'punct' && (next.text === '<' || next.text === '<=' || next.text === '>' || next.text === '>=')) {
      return { kind: 'range', field, operator: next.text, value: literalText(this.literal()) };
    }
    throw new Error(`KQL: a query without a field (${field}) is not supported; expected ':' or a range operator`);
  }

  private fieldName(): string {
    const token = this.literal();
    return token.segments.map((segment) => ('literal' in segment ? segment.literal : '*')).join('');
  }

  private listOfValues(): ValueNode {
    if (this.accept('punct', '(')) {
      const node = this.orValues();
      this.expect('punct', ')');
      return node;
    }
    return { kind: 'term', segments: this.literal().segments };
  }

  private orValues(): ValueNode {
    const nodes = [this.andValues()];
    while (this.accept('keyword', 'or')) nodes.push(this.andValues());
    return nodes.length === 1 ? (nodes[0] as ValueNode) : { kind: 'or', nodes };
  }

  private andValues(): ValueNode {
    const nodes = [this.notValues()];
    while (this.accept('keyword', 'and')) nodes.push(this.notValues());
    return nodes.length === 1 ? (nodes[0] as ValueNode) : { kind: 'and', nodes };
  }

  private notValues(): ValueNode {
    if (this.accept('keyword', 'not')) return { kind: 'not', node: this.listOfValues() };
    return this.listOfValues();
  }

  private literal(): Extract<Token, { type: 'literal' }> {
    const token = this.next();
    if (token?.type !== 'literal') throw new Error(`KQL: expected a field or value, found ${describe(token)}`);
    return token;
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private next(): Token | undefined {
    return this.tokens[this.position++];
  }

  private accept(type: 'punct' | 'keyword', text: string): boolean {
    const token = this.peek();
    if (token?.type === type && token.text === text) {
      this.position++;
      return true;
    }
    return false;
  }

  private expect(type: 'punct', text: string): void {
    if (!this.accept(type, text)) throw new Error(`KQL: expected '${text}', found ${describe(this.peek())}`);
  }
}

function describe(token: Token | undefined): string {
  if (token === undefined) return 'the end of the query';
  return token.type === 'literal' ? `"${literalText(token)}"` : `'${token.text}'`;
}

function literalText(token: { segments: Segment[] }): string {
  return token.segments.map((segment) => ('literal' in segment ? segment.literal : '*')).join('');
}

export function parseKql(query: string): KqlNode {
  return new Parser(tokenize(query)).parse();
}

type Leaf = string | number | boolean;

/** Every leaf value of a document under its dotted path; arrays (of values or objects) add values to one path. */
export function leavesOf(source: unknown): Map<string, Leaf[]> {
  const leaves = new Map<string, Leaf[]>();
  const visit = (node: unknown, path: string): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item, path);
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) visit(value, path === '' ? key : `${path}.${key}`);
    } else if (typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean') {
      const values = leaves.get(path) ?? [];
      values.push(node);
      leaves.set(path, values);
    }
  };
  visit(source, '');
  return leaves;
}

/** Whether `source` matches the query. */
export function matchesKql(query: string | KqlNode, source: unknown, options: KqlOptions = {}): boolean {
  const node = typeof query === 'string' ? parseKql(query) : query;
  return evaluate(node, leavesOf(source), options);
}

function evaluate(node: KqlNode, leaves: Map<string, Leaf[]>, options: KqlOptions): boolean {
  switch (node.kind) {
    case 'or':
      return node.nodes.some((child) => evaluate(child, leaves, options));
    case 'and':
      return node.nodes.every((child) => evaluate(child, leaves, options));
    case 'not':
      return !evaluate(node.node, leaves, options);
    case 'match':
      return fieldsMatching(node.field, leaves).some((field) => valueMatches(node.value, leaves.get(field) ?? []));
    case 'range':
      return fieldsMatching(node.field, leaves).some((field) => (leaves.get(field) ?? []).some((leaf) => inRange(leaf, node.operator, node.value, isFlattened(field, options))));
  }
}

function fieldsMatching(pattern: string, leaves: Map<string, Leaf[]>): string[] {
  if (!pattern.includes('*')) return [pattern];
  const regex = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
  return [...leaves.keys()].filter((field) => regex.test(field));
}

function valueMatches(value: ValueNode, values: Leaf[]): boolean {
  switch (value.kind) {
    case 'or':
      return value.nodes.some((child) => valueMatches(child, values));
    case 'and':
      return value.nodes.every((child) => valueMatches(child, values));
    case 'not':
      return !valueMatches(value.node, values);
    case 'term':
      return termMatches(value, values);
  }
}

function termMatches(term: Term, values: Leaf[]): boolean {
  const wildcard = term.segments.some((segment) => 'wildcard' in segment);
  if (!wildcard) {
    const expected = literalText(term);
    return values.some((leaf) => String(leaf) === expected);
  }
  // A lone `*` is an exists query.
  if (term.segments.length === 1) return values.length > 0;
  const regex = new RegExp(`^${term.segments.map((segment) => ('literal' in segment ? escapeRegExp(segment.literal) : '.*')).join('')}$`, 's');
  return values.some((leaf) => regex.test(String(leaf)));
}

function inRange(leaf: Leaf, operator: RangeOperator, bound: string, flattened: boolean): boolean {
  const numeric = !flattened && typeof leaf === 'number' && bound.trim() !== '' && Number.isFinite(Number(bound));
  const order = numeric ? Math.sign((leaf as number) - Number(bound)) : compareText(String(leaf), bound);
  switch (operator) {
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isFlattened(field: string, options: KqlOptions): boolean {
  return (options.flattenedPrefixes ?? []).some((prefix) => field === prefix || field.startsWith(`${prefix}.`));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
