/** highlight.js core with the languages a coding chat meets most; unknown languages stay plain (no auto-detect). */
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const LANGUAGES = { bash, c, cpp, csharp, css, diff, go, java, javascript, json, markdown, python, rust, shell, sql, typescript, xml, yaml };
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);
hljs.registerAliases(['sh', 'zsh'], { languageName: 'bash' });
hljs.registerAliases(['console', 'shellsession'], { languageName: 'shell' });

/** The fence's language word (`ts {title=x}` → `ts`), lower-cased. */
export function fenceLanguage(info: string | undefined): string {
  return (info ?? '').trim().split(/\s+/)[0]?.toLowerCase() ?? '';
}

/** Grammars compiled by a first use (keyed by the language object, so aliases share one entry). */
const warmed = new WeakSet<object>();

/** Whether `language` has a registered grammar (so its code can be highlighted at all). */
export function canHighlight(language: string): boolean {
  return language !== '' && hljs.getLanguage(language) !== undefined;
}

/**
 * Whether highlighting `language` is cheap now. A grammar's first use compiles it (and V8 its regular
 * expressions): 5–80 ms on a slow machine, too long for a frame, so renderers leave cold languages plain and
 * warm them in a task of their own (see highlightLater.ts).
 */
export function isWarm(language: string): boolean {
  const grammar = language ? hljs.getLanguage(language) : undefined;
  return grammar !== undefined && warmed.has(grammar);
}

const SAMPLE = 'const a = "b"; // c\nfunction d(e) { return e + 1; }\n';

/** Compiles `language`'s grammar now (one small highlight) so later highlights of it are cheap. */
export function warmLanguage(language: string): void {
  if (!canHighlight(language) || isWarm(language)) return;
  highlight(SAMPLE, language);
}

/**
 * Highlighted HTML for `code`, or undefined when the language is not registered. highlight.js escapes all text
 * it is given and emits only `<span class="hljs-…">`, so its output is safe markup.
 */
export function highlight(code: string, language: string): string | undefined {
  const grammar = language ? hljs.getLanguage(language) : undefined;
  if (!grammar) return undefined;
  const html = hljs.highlight(code, { language, ignoreIllegals: true }).value;
  warmed.add(grammar);
  return html;
}
