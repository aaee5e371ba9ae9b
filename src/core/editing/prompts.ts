/**
 * Prompt templates for the editor actions. Each returns the system and user message text; the caller sends them
 * through the usual client. Rewrite prompts ask for one fenced block with only the replacement, but `parseRewrite`
 * does not rely on the model obeying.
 *
 * Lines are 1-based here (they are shown to the model and the user, who both count from 1).
 */

import { docConvention, languageName } from './languages';
import type { IndentStyle } from './fitToSelection';

export interface PromptPair {
  system: string;
  user: string;
}

export interface CodeSelection {
  /** Workspace-relative path, `/`-separated. */
  path: string;
  /** VS Code language id (`typescript`, `python`, …). */
  languageId: string;
  /** 1-based first and last line of the selection (inclusive). */
  startLine: number;
  endLine: number;
  /** The selected text (or the enclosing function/file when nothing was selected). */
  text: string;
  /** What the text is when it was not selected by the user: "function parseConfig", "the whole file". */
  label?: string;
  /** Lines right above and below the selection, already capped (see `surroundingContext`). */
  before?: readonly string[];
  after?: readonly string[];
  /** The file's indentation, so the model writes it the same way. */
  indent?: IndentStyle;
}

export interface Diagnostic {
  message: string;
  severity: 'error' | 'warning' | 'information' | 'hint';
  /** 1-based line. */
  line: number;
  /** Where it came from (`ts`, `eslint`) and its code, when known. */
  source?: string;
  code?: string | number;
}

/** The default number of context lines on each side. */
export const CONTEXT_LINES = 20;

/** The lines around a selection (0-based inclusive line range in `lines`), capped to `max` on each side. */
export function surroundingContext(
  lines: readonly string[],
  startLine0: number,
  endLine0: number,
  max = CONTEXT_LINES,
): { before: string[]; after: string[] } {
  return {
    before: lines.slice(Math.max(0, startLine0 - max), Math.max(0, startLine0)),
    after: lines.slice(endLine0 + 1, endLine0 + 1 + max),
  };
}

/** A fence longer than any backtick run in `text`, so code containing ``` cannot close it early. */
export function fenceFor(text: string): string {
  let longest = 0;
  for (const m of text.match(/`+/g) ?? []) longest = Math.max(longest, m.length);
  return '`'.repeat(Math.max(3, longest + 1));
}

function fenced(text: string, lang: string): string {
  const f = fenceFor(text);
  return `${f}${lang}\n${text.replace(/\r\n?/g, '\n').replace(/\n$/, '')}\n${f}`;
}

function where(sel: CodeSelection): string {
  const lines = sel.startLine === sel.endLine ? `line ${sel.startLine}` : `lines ${sel.startLine}-${sel.endLine}`;
  return `\`${sel.path}\` (${languageName(sel.languageId)}), ${lines}`;
}

function indentNote(indent: IndentStyle | undefined): string {
  if (indent === undefined) return 'Keep the indentation style of the original.';
  return indent.tabs ? 'The file indents with tabs.' : `The file indents with ${indent.size} spaces.`;
}

function contextSection(sel: CodeSelection): string {
  const parts: string[] = [];
  if (sel.before !== undefined && sel.before.length > 0) {
    parts.push(`Lines above it (context only, do not repeat them):\n${fenced(sel.before.join('\n'), sel.languageId)}`);
  }
  if (sel.after !== undefined && sel.after.length > 0) {
    parts.push(`Lines below it (context only, do not repeat them):\n${fenced(sel.after.join('\n'), sel.languageId)}`);
  }
  return parts.join('\n\n');
}

/**
 * Explain goes to the chat, where the code travels as an attachment chip (file, language, lines; sent as a fenced
 * block before the question), so the prompt is only the question. The chat's own system prompt applies.
 */
export function explainQuestion(sel: CodeSelection): string {
  const what = sel.label ?? 'the selected code';
  return `Explain ${what} from ${where(sel)}: what it does, how it works, and anything surprising (edge cases, bugs, performance).`;
}

function rewriteSystem(languageId: string): string {
  return (
    `You are Qwen Coder, an expert ${languageName(languageId)} programmer editing code in the user's editor. ` +
    'Your answer replaces the selected code in the file verbatim, so answer with exactly one fenced code block ' +
    'containing ONLY the replacement for the selection: no explanation before or after, no lines from outside the ' +
    'selection, the same base indentation as the selection, and complete code (no "..." or placeholders).'
  );
}

function rewriteUser(sel: CodeSelection, task: string): string {
  return [
    task,
    `The selection, from ${where(sel)}:`,
    fenced(sel.text, sel.languageId),
    contextSection(sel),
    `${indentNote(sel.indent)} Reply with one \`\`\`${sel.languageId} block holding only the new version of the selection.`,
  ]
    .filter((p) => p !== '')
    .join('\n\n');
}

/** Refactor the selection; `instruction` narrows what kind of refactoring the user wants. */
export function refactorPrompt(sel: CodeSelection, instruction?: string): PromptPair {
  const task =
    'Refactor the selected code to make it clearer and simpler while keeping its behaviour and public interface exactly the same.' +
    (instruction !== undefined && instruction.trim() !== '' ? ` The user asks: ${instruction.trim()}` : '');
  return { system: rewriteSystem(sel.languageId), user: rewriteUser(sel, task) };
}

function severityWord(s: Diagnostic['severity']): string {
  return s === 'information' ? 'info' : s;
}

/** Fix the selection, given the diagnostics reported on its lines (may be empty: then fix evident bugs). */
export function fixPrompt(sel: CodeSelection, diagnostics: readonly Diagnostic[]): PromptPair {
  const listed = diagnostics.map((d) => {
    const origin = [d.source, d.code === undefined ? undefined : String(d.code)].filter((x) => x !== undefined).join(' ');
    return `- line ${d.line} [${severityWord(d.severity)}${origin === '' ? '' : `, ${origin}`}]: ${d.message}`;
  });
  const task =
    diagnostics.length > 0
      ? `Fix the problems the editor reports in the selected code:\n${listed.join('\n')}\nChange only what the fix needs.`
      : 'Fix the bugs in the selected code. The editor reports no problems there, so look for logic errors; change only what the fix needs.';
  return { system: rewriteSystem(sel.languageId), user: rewriteUser(sel, task) };
}

/** Add documentation comments in the language's convention, changing no code. */
export function documentPrompt(sel: CodeSelection): PromptPair {
  const task =
    `Add documentation comments to the selected code, using ${docConvention(sel.languageId)}. ` +
    'Document what each function, class or exported item does and why, its parameters, results and errors. ' +
    'Keep existing comments that are still right, and do not change the code itself.';
  return { system: rewriteSystem(sel.languageId), user: rewriteUser(sel, task) };
}

/** The user's free instruction applied to the selection (the inline prompt). */
export function inlinePrompt(sel: CodeSelection, instruction: string): PromptPair {
  const task = `Change the selected code as the user asks: ${instruction.trim()}`;
  return { system: rewriteSystem(sel.languageId), user: rewriteUser(sel, task) };
}

export interface TestRequest {
  /** Workspace-relative path of the source file to test. */
  sourcePath: string;
  languageId: string;
  /** The source file's text. */
  source: string;
  /** The framework detected (`detectTestFramework`), e.g. `vitest`, `pytest`, `go`. */
  framework: string;
  /** Where the new test file will be created, workspace-relative. */
  testPath: string;
  /** An existing test file of the project, to copy its style (imports, helpers, naming); optional. */
  exampleTest?: { path: string; text: string };
}

/** Write a whole new test file for a source file. */
export function generateTestsPrompt(req: TestRequest): PromptPair {
  const lang = languageName(req.languageId);
  const system =
    `You are Qwen Coder, an expert ${lang} programmer writing unit tests. Answer with exactly one fenced code block ` +
    'holding the complete content of the new test file, nothing else. Tests must assert real values, cover normal ' +
    'cases, edge cases and errors, and run without network or other outside services.';
  const parts = [
    `Write unit tests for \`${req.sourcePath}\` (${lang}) using ${req.framework}.`,
    `The tests will be saved as \`${req.testPath}\`: import the code under test with a path relative to that file.`,
    fenced(req.source, req.languageId),
  ];
  if (req.exampleTest !== undefined) {
    parts.push(
      `An existing test of this project (\`${req.exampleTest.path}\`), to follow its style, imports and helpers:`,
      fenced(req.exampleTest.text, req.languageId),
    );
  }
  parts.push(`Reply with one fenced block containing the whole file \`${req.testPath}\`.`);
  return { system, user: parts.join('\n\n') };
}
