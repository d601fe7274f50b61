// Where documents go: a data stream (`logs-o365.audit-default`), a fixed index, or dated indices named
// with Filebeat's `%{+yyyy.MM.dd}` syntax. The date is the record's own (its CreationTime, in UTC),
// never the time of writing, so a replay lands in the index that holds the first copy and the `_id`
// makes it a duplicate.

export interface IndexTarget {
  /** The setting as written, for messages. */
  readonly setting: string;
  /** A `logs-*-*` name without dates: Elasticsearch and OpenSearch make it a data stream. */
  readonly dataStream: boolean;
  /** `index_patterns` of the index template: the name itself, or the pattern with `*` for each date. */
  readonly templatePattern: string;
  /** Name of the index template o365-elk installs for this target. */
  readonly templateName: string;
  indexFor(timestamp: number): string;
}

const PLACEHOLDER = /%\{([^}]*)\}/g;
// Filebeat's date letters (Joda style); YYYY is the calendar year there too.
const DATE_TOKEN = /yyyy|YYYY|yy|MM|dd|HH/g;
const FORBIDDEN = /[\\/*?"<>|,# :]/;

type Part = string | ((date: Date) => string);

/** Parses `output.elasticsearch.index`; throws a one-line error naming what is wrong. */
export function parseIndexTarget(setting: string): IndexTarget {
  const parts: Part[] = [];
  let last = 0;
  for (const match of setting.matchAll(PLACEHOLDER)) {
    parts.push(setting.slice(last, match.index));
    parts.push(compileDate(match[1] as string, setting));
    last = match.index + match[0].length;
  }
  parts.push(setting.slice(last));
  const literal = parts.filter((part): part is string => typeof part === 'string').join('');
  const dated = parts.some((part) => typeof part !== 'string');

  if (literal !== literal.toLowerCase()) {
    throw new Error(`output.elasticsearch.index "${setting}" has upper-case letters — index names must be lower case`);
  }
  if (FORBIDDEN.test(literal) || /^[-_+.]/.test(setting)) {
    throw new Error(`output.elasticsearch.index "${setting}" is not a valid index name — use lower-case letters, digits, '-', '_' and '.', not starting with - _ + or .`);
  }
  const templatePattern = parts.map((part) => (typeof part === 'string' ? part : '*')).join('').replace(/\*+/g, '*');
  return {
    setting,
    dataStream: !dated && /^logs-.+-.+$/.test(setting),
    templatePattern,
    templateName: `o365-elk-${templatePattern.replace(/\*/g, '').replace(/[-_.]+$/, '')}`,
    indexFor: dated ? (timestamp) => render(parts, new Date(timestamp)) : () => setting,
  };
}

function compileDate(placeholder: string, setting: string): (date: Date) => string {
  if (!placeholder.startsWith('+')) {
    throw new Error(`output.elasticsearch.index "${setting}" uses %{${placeholder}} — only dates such as %{+yyyy.MM.dd} can be part of the index name`);
  }
  const format = placeholder.slice(1);
  const rest = format.replace(DATE_TOKEN, '');
  if (format === '' || /[A-Za-z]/.test(rest)) {
    throw new Error(`output.elasticsearch.index "${setting}" has the date format "${format}" — build it from yyyy, yy, MM, dd and HH, e.g. %{+yyyy.MM.dd}`);
  }
  return (date) =>
    format.replace(DATE_TOKEN, (token) => {
      switch (token) {
        case 'yyyy':
        case 'YYYY':
          return String(date.getUTCFullYear()).padStart(4, '0');
        case 'yy':
          return String(date.getUTCFullYear() % 100).padStart(2, '0');
        case 'MM':
          return String(date.getUTCMonth() + 1).padStart(2, '0');
        case 'dd':
          return String(date.getUTCDate()).padStart(2, '0');
        default:
          return String(date.getUTCHours()).padStart(2, '0');
      }
    });
}

function render(parts: Part[], date: Date): string {
  return parts.map((part) => (typeof part === 'string' ? part : part(date))).join('');
}
