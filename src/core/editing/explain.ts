/**
 * Explain goes to the chat, where the code travels as an attachment (a chip naming file, language and lines, sent
 * as a fenced block before the question). So the prompt is only the question.
 */
import type { CodeSelection } from './prompts';

export function explainQuestion(sel: CodeSelection): string {
  const what = sel.label ?? 'the selected code';
  const lines = sel.startLine === sel.endLine ? `line ${sel.startLine}` : `lines ${sel.startLine}–${sel.endLine}`;
  return `Explain ${what} in \`${sel.path}\` (${lines}): what it does, how it works, and anything surprising or risky in it.`;
}
