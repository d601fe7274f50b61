// Turns zod's findings into the project's one-line wording: the key, what is wrong, how to fix it.
import type { z } from 'zod';
import { closestName } from './suggest.js';
import { settingKind, settingNames } from './schema-walk.js';
import type { Findings, KeyPath } from './findings.js';

const NOUN: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a section of settings',
  array: 'a list',
};

const FIX: Record<string, string> = {
  string: 'put the value in quotes',
  number: 'write a plain number without quotes or units',
  int: 'write a whole number without quotes or units',
  boolean: 'write true or false',
  object: 'indent its settings under the key',
  array: 'write a YAML list, e.g. [a, b], or one "- item" per line',
};

function kindOf(value: unknown): string {
  if (value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a section of settings';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'boolean') return 'true/false';
  return `a ${typeof value}`;
}

/** Wording for problems whose setting has no message of its own. Never echoes text (it may be a secret). */
export function genericIssueText(issue: { code?: string; input?: unknown; expected?: string; values?: readonly unknown[] }) {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required — set it';
      return `expected ${NOUN[issue.expected ?? ''] ?? issue.expected}, got ${kindOf(issue.input)} — ${FIX[issue.expected ?? ''] ?? 'correct the value'}`;
    case 'too_small':
      return Array.isArray(issue.input) ? 'is empty — list at least one entry' : 'is empty — set a value or remove the key';
    case 'invalid_value':
      return `is not valid here — use one of ${(issue.values ?? []).join(', ')}`;
    default:
      return undefined;
  }
}

function unknownKeyText(schema: z.ZodType, section: KeyPath, key: string): string {
  const names = settingNames(schema, section);
  const guess = closestName(key, names);
  if (guess) return `is not a setting — did you mean ${guess}?`;
  // A key written one level too high, e.g. client_secret directly under a tenant instead of under auth.
  const home = names.find((name) => settingKind(schema, [...section, name]) === 'section' && settingNames(schema, [...section, name]).includes(key));
  if (home) return `is not a setting here — did you mean ${home}.${key}?`;
  return names.length > 0 ? `is not a setting — remove it (settings here: ${names.join(', ')})` : 'is not a setting — remove it';
}

export function reportIssues(issues: readonly z.core.$ZodIssue[], schema: z.ZodType, findings: Findings): void {
  for (const issue of issues) {
    const path = issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) findings.error([...path, key], unknownKeyText(schema, path, key));
    } else {
      findings.error(path, issue.message);
    }
  }
}
