/**
 * `@` mentions in the chat composer: which workspace files match what the user typed (fuzzy, the file name counting
 * more than its folders), and the current problems as one attachment text. Pure: the editor supplies the paths and
 * the diagnostics.
 */
import type { DiagnosticInfo } from './tools/port';

/**
 * Paths whose characters contain `query` in order (case-insensitive), best first: a match in the file name beats
 * one spread over folders, consecutive letters and word starts score, shorter paths win ties. An empty query
 * gives the first `limit` paths, shortest first.
 */
export function rankPaths(query: string, paths: readonly string[], limit = 20): string[] {
  const q = query.toLowerCase().replace(/^@/, '');
  if (q === '') return [...paths].sort((a, b) => a.length - b.length || a.localeCompare(b)).slice(0, limit);
  const scored: { path: string; score: number }[] = [];
  for (const path of paths) {
    const score = scorePath(q, path);
    if (score !== undefined) scored.push({ path, score });
  }
  return scored
    .sort((a, b) => b.score - a.score || a.path.length - b.path.length || a.path.localeCompare(b.path))
    .slice(0, limit)
    .map((s) => s.path);
}

function scorePath(q: string, path: string): number | undefined {
  const lower = path.toLowerCase();
  const nameAt = lower.lastIndexOf('/') + 1;
  const inName = subsequence(q, lower, nameAt);
  if (inName !== undefined) return 1000 + inName;
  const anywhere = subsequence(q, lower, 0);
  return anywhere;
}

/** Score of `q` as a subsequence of `text` from `from`, or undefined when it is not one. */
function subsequence(q: string, text: string, from: number): number | undefined {
  let score = 0;
  let at = from;
  let previous = -2;
  for (const ch of q) {
    const found = text.indexOf(ch, at);
    if (found < 0) return undefined;
    if (found === previous + 1) score += 5;
    const before = text[found - 1];
    if (found === from || before === '/' || before === '.' || before === '-' || before === '_') score += 3;
    score -= Math.min(found - at, 10) * 0.1;
    previous = found;
    at = found + 1;
  }
  if (text.startsWith(q, from)) score += 10;
  return score;
}

/** The problems as plain text for the model, errors first, capped; `count` is how many there were. */
export function formatProblems(diagnostics: readonly (DiagnosticInfo & { relativePath: string })[], maxChars = 20_000): { text: string; count: number; truncated: boolean } {
  const order = { error: 0, warning: 1, info: 2, hint: 3 } as const;
  const sorted = [...diagnostics].sort((a, b) => order[a.severity] - order[b.severity] || a.relativePath.localeCompare(b.relativePath) || a.line - b.line);
  const lines: string[] = [];
  let size = 0;
  let truncated = false;
  for (const d of sorted) {
    const source = d.source ? ` [${d.source}${d.code ? ` ${d.code}` : ''}]` : '';
    const line = `${d.severity} ${d.relativePath}:${d.line}:${d.column} ${d.message.split('\n')[0]}${source}`;
    if (size + line.length + 1 > maxChars) {
      truncated = true;
      break;
    }
    lines.push(line);
    size += line.length + 1;
  }
  const text = lines.length === 0 ? 'No problems are reported in the workspace.' : lines.join('\n');
  return { text: truncated ? `${text}\n… ${sorted.length - lines.length} more not shown` : text, count: sorted.length, truncated };
}

/** Removes terminal escape sequences (colours, cursor moves, OSC titles such as shell integration's marks). */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)|\u001b[@-Z\\-_]/g, '');
}
