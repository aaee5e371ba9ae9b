/**
 * The benchmark's answer: deterministic markdown of an exact length with every block a chat answer holds — headings,
 * prose with inline code, emphasis and links, bullet and numbered lists, quotes, tables, and fenced code in several
 * languages (the code is what highlighting and the "is this fence closed yet" logic pay for).
 */

const WORDS = ('the stream carries reasoning and content deltas while the renderer keeps settled blocks and only ' +
  're-parses the growing tail so each chunk costs about the same').split(' ');

function sentence(seed: number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    const w = WORDS[(seed * 7 + i * 5) % WORDS.length] ?? 'qwen';
    out.push(i % 11 === 4 ? `\`${w}()\`` : i % 13 === 7 ? `**${w}**` : i % 17 === 9 ? `[${w}](https://example.com/${w})` : w);
  }
  const text = out.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

const CODE: ReadonlyArray<(n: number) => string> = [
  (n) => `\`\`\`ts\nexport async function load${n}(ids: readonly string[]): Promise<Map<string, number>> {\n  const out = new Map<string, number>();\n  for (const id of ids) out.set(id, id.length * ${n % 7 + 1}); // <b>not html</b> & "quotes"\n  return out;\n}\n\`\`\`\n\n`,
  (n) => `\`\`\`python\ndef summarize_${n}(rows: list[dict]) -> dict:\n    """Totals per key; ignores rows without 'value'."""\n    totals = {}\n    for row in rows:\n        if "value" in row:\n            totals[row["key"]] = totals.get(row["key"], 0) + row["value"] * ${n % 5 + 1}\n    return totals\n\`\`\`\n\n`,
  (n) => `\`\`\`rust\npub fn checksum_${n}(data: &[u8]) -> u32 {\n    data.iter().fold(${n}u32, |acc, b| acc.rotate_left(5) ^ u32::from(*b))\n}\n\`\`\`\n\n`,
  (n) => `\`\`\`go\nfunc Retry${n}(ctx context.Context, f func() error) error {\n\tfor i := 0; i < ${n % 4 + 2}; i++ {\n\t\tif err := f(); err == nil {\n\t\t\treturn nil\n\t\t}\n\t}\n\treturn ctx.Err()\n}\n\`\`\`\n\n`,
  (n) => `\`\`\`json\n{ "name": "step-${n}", "retries": ${n % 9}, "tags": ["stream", "render"], "enabled": true }\n\`\`\`\n\n`,
  (n) => `\`\`\`bash\nnpm run build && node out/step${n}.js --chunks ${n * 16} | tee log-${n}.txt\n\`\`\`\n\n`,
];

function block(n: number): string {
  switch (n % 6) {
    case 0:
      return `## Part ${n / 6 + 1}: ${WORDS[n % WORDS.length]}\n\n${sentence(n, 45)} ${sentence(n + 1, 30)}\n\n`;
    case 1:
      return `${[1, 2, 3, 4, 5].map((i) => `- ${sentence(n + i, 8)}`).join('\n')}\n\n`;
    case 2:
      return (CODE[Math.floor(n / 6) % CODE.length] ?? CODE[0]!)(n);
    case 3:
      return `| model | chunks | ms | note |\n|---|---:|---:|---|\n${[1, 2, 3, 4].map((i) => `| qwen-${n}-${i} | ${n * 16 + i} | ${(n * i) % 97} | ${sentence(n * i, 3)} |`).join('\n')}\n\n`;
    case 4:
      return `1. ${sentence(n, 12)}\n2. ${sentence(n + 1, 10)}\n3. ${sentence(n + 2, 9)}\n\n> ${sentence(n + 3, 20)}\n\n`;
    default:
      return `${sentence(n, 60)}\n\n`;
  }
}

/** Exactly `chars` characters of markdown, cut in the middle of prose (as a stopped answer would be). */
export function benchAnswer(chars: number): string {
  let out = '';
  for (let n = 0; out.length < chars; n++) out += block(n);
  return out.slice(0, chars);
}

const tsLine = (i: number): string => `const value${i} = await fetchThing(${i}, "name-${i}"); // step ${i}`;

/** One numbered list, a paragraph and a code block in each item (a plan with steps). */
function listWithCode(chars: number): string {
  let out = 'Here is the plan:\n\n';
  for (let i = 1; out.length < chars; i++) {
    const code = Array.from({ length: 8 }, (_, j) => `   ${tsLine(i * 10 + j)}`).join('\n');
    out += `${i}. **Step ${i}**: do the thing with \`x${i}\` and check the result before moving on.\n\n   \`\`\`ts\n${code}\n   \`\`\`\n\n`;
  }
  return out;
}

/** "Here is the file:" and the whole file right after it, no blank line between. */
function fileAfterColon(chars: number): string {
  let out = 'Here is the full file:\n```ts\n';
  for (let i = 0; out.length < chars; i++) out += `${tsLine(i)}\n`;
  return `${out}\`\`\`\n\nThat is all.\n`;
}

/** One long table (options and what they do). */
function longTable(chars: number): string {
  let out = '| name | type | default | description |\n|---|---|---|---|\n';
  for (let i = 0; out.length < chars; i++) out += `| \`opt${i}\` | string | \`"v${i}"\` | Sets option ${i} for the thing, see the docs. |\n`;
  return `${out}\nEnd.\n`;
}

/** A long code block inside a list item, so the open block does not start where the tail does. */
function codeInListItem(chars: number): string {
  let out = '1. First, the setup.\n\n2. Then replace the module with:\n\n   ```ts\n';
  for (let i = 0; out.length < chars; i++) out += `   ${tsLine(i)}\n`;
  return `${out}   \`\`\`\n\n3. Run the tests.\n`;
}

/** Answer shapes a block-boundary renderer finds hard (each one block, or one list, from start to end). */
export const HARD_SHAPES: Record<string, (chars: number) => string> = { listWithCode, fileAfterColon, longTable, codeInListItem };
