/**
 * The first markdown render of a page costs far more than later ones: V8 compiles marked's and DOMPurify's code and
 * regular expressions on first use (≈ 100 ms measured on the benchmark machine, in one frame). Warming up does that
 * in small steps, one task each, before the first answer needs them; renderers wait for `whenWarm` instead of
 * paying it inside a frame. After the markdown steps, the grammars of the commonest languages are warmed too.
 */
import { BudgetedQueue } from './budgetedQueue';
import { warmLanguage } from './highlight';
import { markdownToHtml, renderMarkdown } from './markdown';

/**
 * The first layout of rendered markdown sets up fonts and text shaping for its styles (≈ 20–40 ms measured for
 * all of them in one task, in the first answer's frame otherwise): lay out small samples out of sight, one style
 * a task (each face is set up on its first use), and drop them.
 */
const LAYOUT_SAMPLES = ['b', '*c*', '**d**', '## a', '`e`\n\n```\np\n```\n', '- i\n\n1. j\n\n> k', '| l | m |\n|---|---|\n| n | o |'];

function layOutSample(markdown: string): void {
  if (typeof document === 'undefined' || !document.body) return;
  const sample = document.createElement('div');
  sample.className = 'answer markdown';
  sample.setAttribute('aria-hidden', 'true');
  // CSSOM properties (the CSP forbids style attributes, not these)
  Object.assign(sample.style, { position: 'absolute', left: '-10000px', top: '0', width: '300px', visibility: 'hidden' });
  sample.append(renderMarkdown(markdown));
  document.body.append(sample);
  void sample.offsetHeight;
  sample.remove();
}

/** Each step compiles one part of the pipeline, small enough for one short task. */
const MARKDOWN_STEPS: ReadonlyArray<() => unknown> = [
  () => markdownToHtml('a'),
  () => markdownToHtml('*a* **b** _c_ ~~d~~'),
  () => markdownToHtml('`a` [b](https://c.d) <https://e.f> https://g.h'),
  () => markdownToHtml('# a\n\n- b\n- c\n\n1. d\n2. e\n\n> f\n\n---\n'),
  () => markdownToHtml('| a | b |\n|---|---:|\n| 1 | 2 |\n\n```\nx\n```\n\n    y\n'),
  () => renderMarkdown('a *b* `c` [d](https://e.f)\n\n- g\n\n```\nh\n```\n'),
  ...LAYOUT_SAMPLES.map((markdown) => () => layOutSample(markdown)),
];

/** Grammars warmed ahead of need (others warm on first use); highlight.js's core compiles with the first. */
const COMMON_LANGUAGES = ['json', 'typescript', 'javascript', 'python', 'bash'];

let state: 'cold' | 'warming' | 'warm' = 'cold';
const waiting: Array<() => void> = [];
const queue = new BudgetedQueue({ budgetMs: 0 });

/** Starts warming up in the background (idempotent). */
export function warmUp(): void {
  if (state !== 'cold') return;
  state = 'warming';
  for (const step of MARKDOWN_STEPS) queue.push(step);
  queue.push(() => {
    state = 'warm';
    for (const callback of waiting.splice(0)) callback();
  });
  for (const language of COMMON_LANGUAGES) queue.push(() => warmLanguage(language));
}

/** Whether markdown renders at its steady cost now. */
export function isMarkdownWarm(): boolean {
  return state === 'warm';
}

/** Calls `callback` once markdown is warm (now, if it is), starting the warm-up if needed. */
export function whenWarm(callback: () => void): void {
  if (state === 'warm') {
    callback();
    return;
  }
  waiting.push(callback);
  warmUp();
}
