// File names as SharePoint and DLP records give them, without a separate extension field.

/** `report.docx` → `docx`; nothing for names without one (`Reports`, `.profile`, `draft.`). */
export function extensionOf(name: string): string | undefined {
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1) : undefined;
}
