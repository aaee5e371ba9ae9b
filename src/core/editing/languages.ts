/**
 * What the editing core knows about languages by VS Code language id: a display name for prompts, the fence labels a
 * model may use for it, and its doc-comment convention. Unknown ids still work (the id itself is used).
 */

interface LanguageInfo {
  name: string;
  /** Fence info-string labels meaning this language (lower case); the id itself always counts. */
  labels: readonly string[];
  /** File extensions (without dot) used to read a language from a `path=` or filename info string. */
  extensions: readonly string[];
  docConvention?: string;
}

const JSDOC = 'JSDoc block comments (`/** … */`) directly above each declaration, with `@param` and `@returns` where useful';

const LANGUAGES: Readonly<Record<string, LanguageInfo>> = {
  typescript: { name: 'TypeScript', labels: ['ts', 'typescript', 'tsx'], extensions: ['ts', 'mts', 'cts'], docConvention: `${JSDOC} (TSDoc style; no type annotations in tags, the types are in the code)` },
  typescriptreact: { name: 'TypeScript React', labels: ['tsx', 'ts', 'typescript'], extensions: ['tsx'], docConvention: JSDOC },
  javascript: { name: 'JavaScript', labels: ['js', 'javascript', 'jsx', 'mjs', 'cjs'], extensions: ['js', 'mjs', 'cjs'], docConvention: `${JSDOC}, with \`{type}\` in the tags` },
  javascriptreact: { name: 'JavaScript React', labels: ['jsx', 'js', 'javascript'], extensions: ['jsx'], docConvention: JSDOC },
  python: { name: 'Python', labels: ['py', 'python', 'python3'], extensions: ['py', 'pyi'], docConvention: 'PEP 257 docstrings (triple double quotes) as the first statement inside each function, class and module, in the style the file already uses (Google, NumPy or reST) or Google style if none' },
  go: { name: 'Go', labels: ['go', 'golang'], extensions: ['go'], docConvention: 'Go doc comments: `//` line comments directly above each declaration, starting with the declared name' },
  rust: { name: 'Rust', labels: ['rs', 'rust'], extensions: ['rs'], docConvention: 'rustdoc comments: `///` above items (and `//!` for modules), with `# Examples`/`# Errors`/`# Panics` sections where useful' },
  java: { name: 'Java', labels: ['java'], extensions: ['java'], docConvention: 'Javadoc (`/** … */`) above each class and method, with `@param`, `@return` and `@throws`' },
  kotlin: { name: 'Kotlin', labels: ['kt', 'kotlin'], extensions: ['kt', 'kts'], docConvention: 'KDoc (`/** … */`) with `@param` and `@return`' },
  csharp: { name: 'C#', labels: ['cs', 'csharp', 'c#'], extensions: ['cs'], docConvention: 'XML documentation comments (`///` with `<summary>`, `<param>`, `<returns>`)' },
  c: { name: 'C', labels: ['c', 'h'], extensions: ['c', 'h'], docConvention: 'Doxygen block comments (`/** … */`) with `@param` and `@return`' },
  cpp: { name: 'C++', labels: ['cpp', 'c++', 'cc', 'cxx', 'hpp'], extensions: ['cpp', 'cc', 'cxx', 'hpp', 'hh'], docConvention: 'Doxygen comments (`/** … */` or `///`) with `@param` and `@return`' },
  php: { name: 'PHP', labels: ['php'], extensions: ['php'], docConvention: 'PHPDoc (`/** … */`) with `@param` and `@return`' },
  ruby: { name: 'Ruby', labels: ['rb', 'ruby'], extensions: ['rb'], docConvention: 'YARD comments (`#` lines with `@param` and `@return`) above each method' },
  swift: { name: 'Swift', labels: ['swift'], extensions: ['swift'], docConvention: 'Swift markup `///` comments with `- Parameter` and `- Returns`' },
  shellscript: { name: 'shell script', labels: ['sh', 'bash', 'shell', 'zsh'], extensions: ['sh', 'bash'], docConvention: '`#` comments above each function saying what it does, its arguments and its output' },
  markdown: { name: 'Markdown', labels: ['md', 'markdown'], extensions: ['md'] },
  json: { name: 'JSON', labels: ['json', 'jsonc'], extensions: ['json'] },
  yaml: { name: 'YAML', labels: ['yaml', 'yml'], extensions: ['yaml', 'yml'] },
  html: { name: 'HTML', labels: ['html', 'htm'], extensions: ['html', 'htm'] },
  css: { name: 'CSS', labels: ['css'], extensions: ['css'] },
  sql: { name: 'SQL', labels: ['sql'], extensions: ['sql'] },
};

/** Human name of a language for prompts ("TypeScript"); the id itself when unknown. */
export function languageName(languageId: string): string {
  return LANGUAGES[languageId]?.name ?? languageId;
}

/** How doc comments are written in this language, as an instruction fragment. */
export function docConvention(languageId: string): string {
  return LANGUAGES[languageId]?.docConvention ?? `the usual documentation-comment convention of ${languageName(languageId)}`;
}

/** Whether a fence label (already lower-cased, e.g. `ts`) names this language. */
export function labelMatchesLanguage(label: string, languageId: string): boolean {
  if (label === languageId.toLowerCase()) return true;
  return LANGUAGES[languageId]?.labels.includes(label) ?? false;
}

/** The language id a file extension belongs to, if known (used for `path=src/a.ts` info strings). */
export function languageOfExtension(ext: string): string | undefined {
  const e = ext.toLowerCase();
  for (const [id, info] of Object.entries(LANGUAGES)) if (info.extensions.includes(e)) return id;
  return undefined;
}

/** Whether a label is a known language label at all (a block labelled `bash` is not a TypeScript rewrite). */
export function isKnownLanguageLabel(label: string): boolean {
  for (const [id, info] of Object.entries(LANGUAGES)) if (id === label || info.labels.includes(label)) return true;
  return ['diff', 'text', 'txt', 'plaintext', 'console', 'output', 'toml', 'xml', 'ini'].includes(label);
}
