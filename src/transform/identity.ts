// User principal names (`alice@contoso.com`). Audit records name users by UPN, but also by system
// names (`NT AUTHORITY\SYSTEM (…)`, `DlpAgent`, SIDs), which must not be mistaken for addresses.
import { put, type Doc } from './fields.js';

export interface Upn {
  email: string;
  name: string;
  domain: string;
}

const UPN = /^([^@\s]+)@([^@\s]+)$/;

/** The parts of a UPN, or undefined when `value` is not one. */
export function splitUpn(value: string | undefined): Upn | undefined {
  if (value === undefined) return undefined;
  const match = UPN.exec(value);
  if (match === null) return undefined;
  return { email: value, name: match[1] as string, domain: match[2] as string };
}

/** Writes `<prefix>.email`, `.name` and `.domain` when `value` is a UPN; returns whether it was. */
export function putUpn(doc: Doc, prefix: string, value: string | undefined): boolean {
  const upn = splitUpn(value);
  if (upn === undefined) return false;
  put(doc, `${prefix}.email`, upn.email);
  put(doc, `${prefix}.name`, upn.name);
  put(doc, `${prefix}.domain`, upn.domain);
  return true;
}
