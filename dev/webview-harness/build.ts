/**
 * Bundles what the harness page loads into out/webview-harness/: the real webview (webview/main.ts), the fake
 * host (harness.ts), and MarkdownStream on its own as `window.QwenMarkdown.MarkdownStream` for benchmarks.
 */
import * as esbuild from 'esbuild';
import { join } from 'node:path';
import { repoRoot } from '../../test/support/repoRoot';

export interface HarnessBuild {
  root: string;
  outDir: string;
  /** Page path relative to the root (serve the root, open this). */
  page: string;
  markdownStream: string;
}

export async function buildHarness(): Promise<HarnessBuild> {
  const root = repoRoot();
  const outDir = join(root, 'out', 'webview-harness');
  const common = { bundle: true, platform: 'browser', format: 'iife', target: 'es2022', sourcemap: 'inline', logLevel: 'warning', absWorkingDir: root } as const;
  await Promise.all([
    esbuild.build({ ...common, entryPoints: ['webview/main.ts'], outfile: join(outDir, 'webview.js') }),
    esbuild.build({ ...common, entryPoints: ['dev/webview-harness/harness.ts'], outfile: join(outDir, 'harness.js') }),
    esbuild.build({ ...common, entryPoints: ['webview/render/markdownStream.ts'], outfile: join(outDir, 'markdownStream.js'), globalName: 'QwenMarkdown', sourcemap: false }),
  ]);
  return { root, outDir, page: 'dev/webview-harness/index.html', markdownStream: join(outDir, 'markdownStream.js') };
}
