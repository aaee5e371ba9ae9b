// Transpiles src/, test/ and bench/ to out/ (one file per source, CommonJS) so mocha and benches run plain JS.
// Type-checking is tsc's job (`npm run typecheck`); this is only the fast transform.
import * as esbuild from 'esbuild';
import { readdirSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

rmSync('out', { recursive: true, force: true });
const entryPoints = ['src', 'test', 'bench', 'webview', 'dev'].flatMap((d) => {
  try {
    return walk(d);
  } catch {
    return [];
  }
});
await esbuild.build({
  entryPoints,
  outdir: 'out',
  outbase: '.',
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'warning',
});
