// Realistic answers to rewrite prompts (the shapes qwen3-coder and friends produce), each with the exact code
// `parseRewrite` must extract. Kept as data so a new odd answer seen in the wild is one more entry.
import type { RewriteContext } from '../../../src/core/editing/parseRewrite';

export interface CorpusCase {
  name: string;
  output: string;
  ctx?: RewriteContext;
  expected: string;
  fenced?: boolean;
  complete?: boolean;
}

const F = '```';
const TS_ORIGINAL = 'function add(a, b) {\n  return a + b;\n}';
const TS_NEW = 'function add(a: number, b: number): number {\n  return a + b;\n}';

export const CORPUS: CorpusCase[] = [
  {
    name: 'fence only, labelled',
    output: `${F}typescript\n${TS_NEW}\n${F}`,
    ctx: { languageId: 'typescript', original: TS_ORIGINAL },
    expected: TS_NEW,
  },
  {
    name: 'prose before and after the fence',
    output: `Here's the refactored function with explicit types:\n\n${F}ts\n${TS_NEW}\n${F}\n\nThis makes the parameter and return types explicit, so callers get errors for non-numbers.`,
    ctx: { languageId: 'typescript', original: TS_ORIGINAL },
    expected: TS_NEW,
  },
  {
    name: 'unlabelled fence',
    output: `${F}\n${TS_NEW}\n${F}`,
    ctx: { languageId: 'typescript' },
    expected: TS_NEW,
  },
  {
    name: 'tilde fence',
    output: `~~~python\ndef area(r: float) -> float:\n    return math.pi * r ** 2\n~~~`,
    ctx: { languageId: 'python' },
    expected: 'def area(r: float) -> float:\n    return math.pi * r ** 2',
  },
  {
    name: 'four-backtick fence around code containing a triple-backtick string',
    output: '````ts\nconst md = [\n  "```ts",\n  "let x = 1;",\n  "```",\n].join("\\n");\n````',
    ctx: { languageId: 'typescript' },
    expected: 'const md = [\n  "```ts",\n  "let x = 1;",\n  "```",\n].join("\\n");',
  },
  {
    name: 'markdown rewrite with nested ts blocks using the same three backticks',
    output: `${F}markdown\n## Usage\n\n${F}ts\nimport { add } from './add';\nadd(1, 2);\n${F}\n\nReturns the sum.\n${F}`,
    ctx: { languageId: 'markdown' },
    expected: `## Usage\n\n${F}ts\nimport { add } from './add';\nadd(1, 2);\n${F}\n\nReturns the sum.`,
  },
  {
    name: 'two blocks: the rewrite and a usage example; the one like the original wins',
    output: `${F}ts\nexport function slugify(title: string): string {\n  return title\n    .toLowerCase()\n    .trim()\n    .replace(/[^a-z0-9]+/g, '-')\n    .replace(/^-|-$/g, '');\n}\n${F}\n\nYou can use it like this:\n\n${F}ts\nconsole.log(slugify('Hello World'));\n${F}`,
    ctx: {
      languageId: 'typescript',
      original: "export function slugify(title: string): string {\n  return title.toLowerCase().replace(/ /g, '-');\n}",
    },
    expected: "export function slugify(title: string): string {\n  return title\n    .toLowerCase()\n    .trim()\n    .replace(/[^a-z0-9]+/g, '-')\n    .replace(/^-|-$/g, '');\n}",
  },
  {
    name: 'usage example first, rewrite second',
    output: `To call it:\n${F}ts\nconst total = sum([1, 2, 3]);\n${F}\nAnd the improved version:\n${F}ts\nexport function sum(values: readonly number[]): number {\n  return values.reduce((acc, v) => acc + v, 0);\n}\n${F}`,
    ctx: {
      languageId: 'typescript',
      original: 'export function sum(values: number[]): number {\n  let acc = 0;\n  for (const v of values) acc += v;\n  return acc;\n}',
    },
    expected: 'export function sum(values: readonly number[]): number {\n  return values.reduce((acc, v) => acc + v, 0);\n}',
  },
  {
    name: 'a bash block to run is not the rewrite',
    output: `${F}bash\nnpm install lodash\n${F}\n\n${F}js\nconst debounced = debounce(save, 300);\n${F}`,
    ctx: { languageId: 'javascript', original: 'const debounced = myDebounce(save, 300);' },
    expected: 'const debounced = debounce(save, 300);',
  },
  {
    name: 'no original: the largest block wins',
    output: `${F}go\nx := 1\n${F}\n${F}go\nfor i := 0; i < n; i++ {\n\tsum += i\n}\n${F}`,
    ctx: { languageId: 'go' },
    expected: 'for i := 0; i < n; i++ {\n\tsum += i\n}',
  },
  {
    name: 'no original: the block labelled with the language beats a larger unlabelled one',
    output: `${F}\nline one\nline two is longer\n${F}\n${F}py\nx = 1\n${F}`,
    ctx: { languageId: 'python' },
    expected: 'x = 1',
  },
  {
    name: 'missing closing fence (cut stream)',
    output: `${F}rust\nfn parse(input: &str) -> Result<Config, Error> {\n    let mut cfg = Config::default();\n    for line in input.lines() {`,
    ctx: { languageId: 'rust' },
    expected: 'fn parse(input: &str) -> Result<Config, Error> {\n    let mut cfg = Config::default();\n    for line in input.lines() {',
    complete: false,
  },
  {
    name: 'no fence at all, the whole answer is code',
    output: 'const user = await db.users.findUnique({ where: { id } });\nif (!user) throw new NotFoundError(id);\nreturn user;\n',
    ctx: { languageId: 'typescript' },
    expected: 'const user = await db.users.findUnique({ where: { id } });\nif (!user) throw new NotFoundError(id);\nreturn user;',
    fenced: false,
  },
  {
    name: 'no fence, with a "Here is" intro line',
    output: 'Here is the fixed code:\n\nif err != nil {\n\treturn fmt.Errorf("open %s: %w", path, err)\n}\n',
    ctx: { languageId: 'go' },
    expected: 'if err != nil {\n\treturn fmt.Errorf("open %s: %w", path, err)\n}',
    fenced: false,
  },
  {
    name: 'info string with path=',
    output: `${F}ts path=src/util/math.ts\nexport const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));\n${F}`,
    ctx: { languageId: 'typescript' },
    expected: 'export const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));',
  },
  {
    name: 'info string is only a filename',
    output: `${F}src/app.py\nprint("hello")\n${F}\n${F}bash\npython src/app.py\n${F}`,
    ctx: { languageId: 'python' },
    expected: 'print("hello")',
  },
  {
    name: 'info string lang:path',
    output: `${F}python:app/models.py\nclass User(Base):\n    __tablename__ = "users"\n${F}`,
    ctx: { languageId: 'python' },
    expected: 'class User(Base):\n    __tablename__ = "users"',
  },
  {
    name: 'leading and trailing blank lines inside the fence',
    output: `${F}java\n\n\n    public int size() {\n        return items.size();\n    }\n\n${F}`,
    ctx: { languageId: 'java' },
    expected: '    public int size() {\n        return items.size();\n    }',
  },
  {
    name: 'think block before the answer',
    output: `<think>\nThe user wants a null check. I'll use optional chaining.\nMaybe also \`\`\`ts examples? No.\n</think>\n\n${F}ts\nconst name = user?.profile?.name ?? 'anonymous';\n${F}`,
    ctx: { languageId: 'typescript' },
    expected: "const name = user?.profile?.name ?? 'anonymous';",
  },
  {
    name: 'reasoning with only a closing think tag (the opener was in the template)',
    output: `Let me check the loop bounds first. The off-by-one is at i <= n.\n</think>\n${F}c\nfor (int i = 0; i < n; i++) {\n    total += a[i];\n}\n${F}`,
    ctx: { languageId: 'c' },
    expected: 'for (int i = 0; i < n; i++) {\n    total += a[i];\n}',
  },
  {
    name: 'CRLF output',
    output: `Sure!\r\n\r\n${F}csharp\r\npublic int Count { get; private set; }\r\n${F}\r\n`,
    ctx: { languageId: 'csharp' },
    expected: 'public int Count { get; private set; }',
  },
  {
    name: 'tabs kept inside the block',
    output: `${F}go\nfunc (s *Server) Close() error {\n\ts.mu.Lock()\n\tdefer s.mu.Unlock()\n\treturn s.ln.Close()\n}\n${F}`,
    ctx: { languageId: 'go' },
    expected: 'func (s *Server) Close() error {\n\ts.mu.Lock()\n\tdefer s.mu.Unlock()\n\treturn s.ln.Close()\n}',
  },
  {
    name: 'model repeats the context line above and below',
    output: `${F}ts\nclass Cart {\n  total(): number {\n    return this.items.reduce((s, i) => s + i.price * i.qty, 0);\n  }\n}\n${F}`,
    ctx: {
      languageId: 'typescript',
      original: '  total(): number {\n    let s = 0;\n    for (const i of this.items) s += i.price * i.qty;\n    return s;\n  }\n',
      contextBefore: ['class Cart {'],
      contextAfter: ['}', ''],
    },
    expected: '  total(): number {\n    return this.items.reduce((s, i) => s + i.price * i.qty, 0);\n  }',
  },
  {
    name: 'echoed context is kept when the selection itself starts with the same line',
    output: `${F}ts\n}\nfunction b() {\n  return 2;\n}\n${F}`,
    ctx: {
      languageId: 'typescript',
      original: '}\nfunction b() {\n  return 1;\n}',
      contextBefore: ['  return 0;', '}'],
    },
    expected: '}\nfunction b() {\n  return 2;\n}',
  },
  {
    name: 'several lines of echoed context above',
    output: `${F}python\nimport os\n\n\ndef home() -> str:\n    return os.path.expanduser("~")\n${F}`,
    ctx: {
      languageId: 'python',
      original: 'def home():\n    return os.environ["HOME"]\n',
      contextBefore: ['import os', '', ''],
    },
    expected: 'def home() -> str:\n    return os.path.expanduser("~")',
  },
  {
    name: 'indented fence inside a numbered list',
    output: `1. Replace the loop:\n\n   ${F}js\n   const ids = rows.map((r) => r.id);\n   ${F}\n\n2. Remove the unused variable.`,
    ctx: { languageId: 'javascript' },
    expected: '   const ids = rows.map((r) => r.id);',
  },
  {
    name: 'inline code in prose is not a fence',
    output: `Use \`Array.prototype.flat\` here:\n${F}js\nconst all = groups.flat();\n${F}`,
    ctx: { languageId: 'javascript' },
    expected: 'const all = groups.flat();',
  },
  {
    name: 'prose only answer is refused',
    output: 'The selected code is already correct; there is nothing to fix. The warning comes from an outdated type definition in your dependencies.',
    ctx: { languageId: 'typescript', original: 'const x: number = 1;' },
    expected: '',
  },
  {
    name: 'empty fence and then the real one',
    output: `${F}ts\n${F}\n${F}ts\nlet n = 0;\n${F}`,
    ctx: { languageId: 'typescript' },
    expected: 'let n = 0;',
  },
  {
    name: 'diff block is not the replacement when a plain block exists',
    output: `${F}diff\n- return a+b\n+ return a + b\n${F}\n${F}python\nreturn a + b\n${F}`,
    ctx: { languageId: 'python', original: 'return a+b' },
    expected: 'return a + b',
  },
  {
    name: 'only a diff block: used anyway (better than nothing)',
    output: `${F}diff\n-old()\n+new()\n${F}`,
    ctx: { languageId: 'typescript' },
    expected: '-old()\n+new()',
  },
  {
    name: 'yaml rewrite with a label alias',
    output: `${F}yml\nservices:\n  web:\n    image: nginx:1.27\n${F}`,
    ctx: { languageId: 'yaml' },
    expected: 'services:\n  web:\n    image: nginx:1.27',
  },
  {
    name: 'JSDoc added by the document action, with the code',
    output: `${F}typescript\n/**\n * Adds two numbers.\n * @param a - The first addend.\n * @param b - The second addend.\n * @returns The sum of \`a\` and \`b\`.\n */\n${TS_NEW}\n${F}`,
    ctx: { languageId: 'typescript', original: TS_NEW },
    expected: `/**\n * Adds two numbers.\n * @param a - The first addend.\n * @param b - The second addend.\n * @returns The sum of \`a\` and \`b\`.\n */\n${TS_NEW}`,
  },
  {
    name: 'no fence, code with comments is still code',
    output: '# normalise first\nname = name.strip().lower()\n',
    ctx: { languageId: 'python' },
    expected: '# normalise first\nname = name.strip().lower()',
    fenced: false,
  },
  {
    name: 'longer closing fence closes a shorter opener',
    output: '```sql\nSELECT id, name FROM users WHERE active;\n`````\nDone.',
    ctx: { languageId: 'sql' },
    expected: 'SELECT id, name FROM users WHERE active;',
  },
  {
    name: 'fence with attributes like {1,3}',
    output: `${F}ts {2}\nconst a = 1;\nconst b = 2;\n${F}`,
    ctx: { languageId: 'typescript' },
    expected: 'const a = 1;\nconst b = 2;',
  },

  {
    name: "a method's own closing brace is not taken for the echoed class brace below",
    output: `${F}ts\ntotal(): number {\n  return sum(this.items);\n}\n${F}`,
    ctx: {
      languageId: 'typescript',
      original: '  total(): number {\n    return 0;\n  }',
      contextBefore: ['class Cart {'],
      contextAfter: ['}'],
    },
    expected: 'total(): number {\n  return sum(this.items);\n}',
  },

  {
    name: 'no fence, code then a closing explanation paragraph',
    output: 'Here is the updated line:\n\nconst ids = new Set(rows.map((r) => r.id));\n\nUsing a Set makes the later lookups constant time.\n',
    ctx: { languageId: 'typescript' },
    expected: 'const ids = new Set(rows.map((r) => r.id));',
    fenced: false,
  },
  {
    name: 'qwen3-coder style: bold heading, fence, bullet list of changes',
    output: `**Refactored code:**\n\n${F}python\ndef chunks(xs, n):\n    for i in range(0, len(xs), n):\n        yield xs[i:i + n]\n${F}\n\n**Changes:**\n- Uses a generator instead of building a list\n- Handles a short last chunk`,
    ctx: { languageId: 'python', original: 'def chunks(xs, n):\n    out = []\n    for i in range(0, len(xs), n):\n        out.append(xs[i:i+n])\n    return out\n' },
    expected: 'def chunks(xs, n):\n    for i in range(0, len(xs), n):\n        yield xs[i:i + n]',
  },
];
