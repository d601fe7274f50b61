// What went wrong while mapping one record. A malformed record still becomes a document; each kind of
// problem is recorded once, as a tag to filter on and a sentence saying what was wrong.

export class Problems {
  readonly tags: string[] = [];
  readonly notes: string[] = [];

  /** Records a problem; a tag already recorded keeps its first note. */
  add(tag: string, note: string): void {
    if (this.tags.includes(tag)) return;
    this.tags.push(tag);
    this.notes.push(note);
  }
}

const EXCERPT_LENGTH = 60;

/** A short excerpt of an offending value for a note (quoted when it is text); notes stay one readable line. */
export function excerpt(value: unknown): string {
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? 'an array' : 'an object';
  if (typeof value !== 'string') return String(value);
  const short = value.length > EXCERPT_LENGTH ? `${value.slice(0, EXCERPT_LENGTH)}…` : value;
  // JSON quoting escapes line breaks and lone surrogates, so the note stays one well-formed line.
  return JSON.stringify(short);
}
