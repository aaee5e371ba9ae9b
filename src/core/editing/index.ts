// The pure core of the editor actions (explain / refactor / fix / document / inline prompt / generate tests).
// The VS Code side gathers the inputs (selection, diagnostics, file list), calls these and applies the result.
export * from './prompts';
export * from './parseRewrite';
export * from './anchor';
export * from './testFramework';
export * from './enclosing';
