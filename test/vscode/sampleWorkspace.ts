import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A small project for the workbench to open in the VS Code tests: the editor needs a folder like a user's. */
export function createSampleWorkspace(parent: string): string {
  const root = join(parent, 'sample-workspace');
  mkdirSync(join(root, 'src'), { recursive: true });
  writeFileSync(join(root, 'README.md'), '# Sample\n\nA tiny project the Qwen Coder VS Code tests open.\n');
  writeFileSync(
    join(root, 'src', 'app.ts'),
    'export function greet(name: string): string {\n  return `Hello, ${name}!`;\n}\n\nconsole.log(greet("Qwen"));\n',
  );
  return root;
}
