// The emulator's data: a deterministic, on-demand catalog of the audit content the emulated tenants
// publish, and the ground truth a test compares a client's output with.
export { createCatalog, type CatalogOptions } from './catalog.js';
export { groundTruth } from './ground-truth.js';
export { DLP_SENSITIVE_TYPES, type DlpSensitiveType } from './dlp-sensitive-types.js';
