// What kind of activity an Operation name describes, for `event.type`. Microsoft names operations by
// pattern (`Verb-Noun` cmdlets, `FileDownloaded`, `Add user.`), so patterns classify new operations
// without a table that goes stale.

const CMDLET = /^([A-Z][a-z]+)-[A-Za-z]/;

const CMDLET_TYPE_BY_VERB: ReadonlyMap<string, string> = new Map([
  ['New', 'creation'],
  ['Add', 'creation'],
  ['Install', 'creation'],
  ['Import', 'creation'],
  ['Register', 'creation'],
  ['Remove', 'deletion'],
  ['Uninstall', 'deletion'],
  ['Unregister', 'deletion'],
  ['Clear', 'deletion'],
  ['Set', 'change'],
  ['Update', 'change'],
  ['Enable', 'change'],
  ['Disable', 'change'],
  ['Start', 'change'],
  ['Stop', 'change'],
  ['Resume', 'change'],
  ['Suspend', 'change'],
  ['Restore', 'change'],
  ['Grant', 'change'],
  ['Revoke', 'change'],
  ['Move', 'change'],
  ['Rename', 'change'],
  ['Reset', 'change'],
  ['Invoke', 'change'],
  ['Approve', 'change'],
  ['Deny', 'change'],
  ['Get', 'access'],
  ['Search', 'access'],
  ['Test', 'access'],
  ['Export', 'access'],
  ['Find', 'access'],
  ['Read', 'access'],
]);

/** The `event.type` of a PowerShell cmdlet run (`Set-Mailbox` → change), or undefined when `operation` is not one. */
export function cmdletEventType(operation: string | undefined): string | undefined {
  const verb = operation === undefined ? undefined : CMDLET.exec(operation)?.[1];
  return verb === undefined ? undefined : CMDLET_TYPE_BY_VERB.get(verb);
}

// Order matters: `FileDeletedFirstStageRecycleBin` is a deletion, `FileSyncDownloadedFull` an access.
const FILE_TYPE_BY_WORD: ReadonlyArray<readonly [RegExp, string]> = [
  [/Deleted|Recycled|Purged/, 'deletion'],
  [/Uploaded|Created|Copied|Added/, 'creation'],
  [/Accessed|Downloaded|Previewed|Viewed|Visited/, 'access'],
  [/Modified|Renamed|Moved|Restored|Checked|Discarded|Updated?|Shared|Label|Changed/, 'change'],
];

/** The `event.type` of a file or folder operation (`FileUploaded` → creation); `info` when the name says nothing. */
export function fileEventType(operation: string | undefined): string {
  if (operation !== undefined) {
    for (const [pattern, type] of FILE_TYPE_BY_WORD) if (pattern.test(operation)) return type;
  }
  return 'info';
}
