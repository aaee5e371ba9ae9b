/** Small pieces every tool uses: failure results, the text of a file as the user sees it, approval refusals. */
import type { WorkspacePort } from './port';
import type { ApprovalDecision, ToolResult } from './types';
import { decodeText, isProbablyBinary } from './fileKinds';

/** Files bigger than this are not loaded whole (read_file, edit_file); search has its own, smaller limit. */
export const MAX_TEXT_FILE_BYTES = 10_000_000;

export function fail(content: string, summary: string, paths?: string[]): ToolResult {
  return { ok: false, content, summary, ...(paths && { paths }) };
}

export function denied(decision: ApprovalDecision, what: string, paths?: string[]): ToolResult {
  const reason = !decision.approved && decision.reason?.trim() ? decision.reason.trim() : undefined;
  return {
    ok: false,
    denied: true,
    content: `The user did not allow ${what}.${reason ? ` Their reason: ${reason}` : ''}`,
    summary: reason ? `Denied: ${reason}` : 'Denied',
    ...(paths && { paths }),
  };
}

export type CurrentText = { ok: true; text: string; fromEditor: boolean } | { ok: false; error: string };

/**
 * The text the user sees: the open editor's (possibly unsaved) text when there is one, else the file decoded as
 * UTF-8. Binary and oversized files are refused with a message for the model.
 */
export async function currentText(port: WorkspacePort, path: string, shown: string, size: number): Promise<CurrentText> {
  const open = port.openDocument(path);
  if (open) return { ok: true, text: open.text, fromEditor: true };
  if (size > MAX_TEXT_FILE_BYTES) {
    return { ok: false, error: `${shown} is ${formatBytes(size)}, too big to load as text (limit ${formatBytes(MAX_TEXT_FILE_BYTES)}). Use search_text to find what you need in it.` };
  }
  let bytes: Uint8Array;
  try {
    bytes = await port.readFile(path);
  } catch (e) {
    return { ok: false, error: `${shown} could not be read: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (isProbablyBinary(bytes)) return { ok: false, error: `${shown} is a binary file (${formatBytes(bytes.length)}); only text files can be read or edited.` };
  return { ok: true, text: decodeText(bytes), fromEditor: false };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Lines without their terminators; a final newline does not start another (empty) line. */
export function splitLines(text: string): string[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (body === '') return [];
  const lines = body.split(/\r\n|\n|\r/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
