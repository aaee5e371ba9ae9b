/**
 * A deterministic markdown answer of an exact length, with every block kind a renderer must survive:
 * headings, prose with inline code and emphasis, lists, fenced code, tables.
 */

const WORDS = 'the stream carries reasoning and content deltas while the client keeps both apart and renders settled blocks once'.split(' ');

function prose(seed: number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    const w = WORDS[(seed * 7 + i * 3) % WORDS.length] ?? 'qwen';
    out.push(i % 11 === 5 ? `\`${w}\`` : i % 13 === 8 ? `**${w}**` : w);
  }
  const text = out.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function block(n: number): string {
  switch (n % 5) {
    case 0:
      return `## Section ${n / 5 + 1}\n\n${prose(n, 40)}\n\n`;
    case 1:
      return `${[1, 2, 3, 4].map((i) => `- Item ${n}.${i}: ${prose(n + i, 6)}`).join('\n')}\n\n`;
    case 2:
      return [
        '```ts',
        `export function step${n}(input: string[]): number {`,
        '  let total = 0;',
        `  for (const line of input) total += line.length * ${n % 9 + 1};`,
        '  return total; // <not html> & "quotes"',
        '}',
        '```',
        '',
        '',
      ].join('\n');
    case 3:
      return `| model | tokens | note |\n|---|---:|---|\n${[1, 2, 3].map((i) => `| qwen-${n}-${i} | ${n * 100 + i} | ${prose(n * i, 3)} |`).join('\n')}\n\n`;
    default:
      return `1. ${prose(n, 10)}\n2. ${prose(n + 1, 12)}\n\n> ${prose(n + 2, 15)}\n\n`;
  }
}

/** Exactly `chars` characters: whole blocks while they fit, then prose cut to the remaining length. */
export function markdownAnswer(chars: number): string {
  const parts: string[] = [];
  let length = 0;
  for (let n = 0; ; n++) {
    const b = block(n);
    if (length + b.length > chars) {
      let tail = '';
      for (let k = 0; tail.length < chars - length; k++) tail += `${prose(n + k, 20)} `;
      parts.push(tail.slice(0, chars - length));
      return parts.join('');
    }
    parts.push(b);
    length += b.length;
  }
}
