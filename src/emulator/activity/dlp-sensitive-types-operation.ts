// `/resources/dlpSensitiveTypes` (contract §2.9): the friendly names of DLP sensitive information types.
// Accept-Language may name one language; the emulator knows only the default, en-US.
import { DLP_SENSITIVE_TYPES } from '../catalog/dlp-sensitive-types.js';
import { afErrors } from './errors.js';
import type { Operation } from './operation.js';

// A language range (`en-US`, `es`, `*`) with an optional quality weight.
const LANGUAGE = /^(?:\*|[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)(?:\s*;\s*q\s*=\s*(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?))?$/;

export const dlpSensitiveTypes: Operation = async ({ req }) => {
  const acceptLanguage = req.headers['accept-language'];
  if (acceptLanguage !== undefined) {
    const languages = acceptLanguage.split(',').map((part) => part.trim());
    if (!languages.every((language) => LANGUAGE.test(language))) throw afErrors.invalidLanguage();
    if (languages.length > 1) throw afErrors.severalLanguages();
  }
  return { status: 200, body: DLP_SENSITIVE_TYPES.map(({ id, name }) => ({ id, name })) };
};
