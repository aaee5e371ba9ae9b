// Packages the VSIX and checks what a user downloads: only dist/, media/, README, LICENSE and package.json,
// and under 1 MB. Prints the size so the note and README can quote it.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';

const ALLOWED = [/^dist\/(extension|webview)\.js$/, /^dist\/[\w.-]+\.css$/, /^media\//, /^README\.md$/, /^LICENSE(\.txt)?$/i, /^package\.json$/];
const LIMIT = 1024 * 1024;

function vsce(...args) {
  const r = spawnSync('node', ['node_modules/@vscode/vsce/vsce', ...args], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(r.stdout, r.stderr);
    process.exit(1);
  }
  return r.stdout;
}

const build = spawnSync('node', ['scripts/build.mjs', '--production'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(1);

const files = vsce('ls', '--no-dependencies').split('\n').map((l) => l.trim()).filter(Boolean);
const stray = files.filter((f) => !ALLOWED.some((re) => re.test(f)));
if (stray.length) {
  console.error(`VSIX would contain files it should not: ${stray.join(', ')}`);
  process.exit(1);
}
if (!files.includes('dist/extension.js')) {
  console.error('VSIX would not contain dist/extension.js');
  process.exit(1);
}
vsce('package', '--no-dependencies', '--out', 'qwen-coder.vsix');
const size = statSync('qwen-coder.vsix').size;
console.log(`qwen-coder.vsix: ${(size / 1024).toFixed(1)} KiB, ${files.length} files: ${files.join(', ')}`);
if (size >= LIMIT) {
  console.error(`VSIX is ${size} bytes, over the 1 MB budget`);
  process.exit(1);
}
