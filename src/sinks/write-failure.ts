// One line for a file an output could not write: what happened, where (with its config key), the fix,
// and that nothing was acknowledged — the pipeline leaves the blob for the next pass.

export class OutputWriteError extends Error {
  override readonly name = 'OutputWriteError';
}

/**
 * `target` names the file and its config key, e.g. `output.file.path=/var/log/o365`; `outcome` says what
 * becomes of the documents, e.g. `the records stay unacknowledged and are written again on the next pass`.
 */
export function describeWriteFailure(error: unknown, target: string, outcome: string): OutputWriteError {
  if (error instanceof OutputWriteError) return error;
  const { code, message } = error as { code?: string; message?: string };
  const problem = PROBLEMS[code ?? ''] ?? `${code ? `${code}: ` : ''}${message ?? String(error)}`;
  const fix = FIXES[code ?? ''] ?? 'check the path and its filesystem';
  return new OutputWriteError(`${problem} writing ${target}: ${fix}; ${outcome}`, { cause: error });
}

const PROBLEMS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file size limit reached',
  EIO: 'I/O error',
};

const FIXES: Record<string, string> = {
  ENOSPC: 'free space there',
  EDQUOT: "free space or raise the user's quota",
  EFBIG: 'raise the file size limit (ulimit -f)',
  EIO: 'check the disk (kernel log)',
};
