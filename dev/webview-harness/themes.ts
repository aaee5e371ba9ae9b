/**
 * The `--vscode-*` variables VS Code sets on the webview's <html> (a representative subset of Dark Modern and
 * Light Modern), with the body class it sets, so the harness shows the view as VS Code would.
 */
export type ThemeName = 'dark' | 'light' | 'hc';

const COMMON = {
  'font-family': '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
  'font-size': '13px',
  'font-weight': 'normal',
  'editor-font-family': 'Consolas, "Courier New", "DejaVu Sans Mono", monospace',
  'editor-font-size': '12px',
};

const DARK = {
  foreground: '#cccccc',
  descriptionForeground: '#9d9d9d',
  errorForeground: '#f85149',
  focusBorder: '#0078d4',
  'sideBar-background': '#181818',
  'editor-background': '#1f1f1f',
  'panel-border': '#2b2b2b',
  'widget-border': '#313131',
  'button-background': '#0078d4',
  'button-foreground': '#ffffff',
  'button-hoverBackground': '#026ec1',
  'button-border': '#ffffff12',
  'button-secondaryBackground': '#313131',
  'button-secondaryForeground': '#cccccc',
  'button-secondaryHoverBackground': '#3c3c3c',
  'input-background': '#313131',
  'input-foreground': '#cccccc',
  'input-border': '#3c3c3c',
  'dropdown-background': '#313131',
  'dropdown-foreground': '#cccccc',
  'dropdown-border': '#3c3c3c',
  'textLink-foreground': '#4daafc',
  'textLink-activeForeground': '#4daafc',
  'textCodeBlock-background': '#2b2b2b',
  'textBlockQuote-background': '#2b2b2b',
  'textBlockQuote-border': '#616161b3',
  'badge-background': '#616161',
  'badge-foreground': '#f8f8f8',
  'list-hoverBackground': '#2a2d2e',
  'list-inactiveSelectionBackground': '#37373d',
  'inputValidation-errorBackground': '#5a1d1d',
  'inputValidation-errorBorder': '#be1100',
  'editorWarning-foreground': '#cca700',
  'symbolIcon-keywordForeground': '#569cd6',
  'symbolIcon-functionForeground': '#dcdcaa',
  'symbolIcon-classForeground': '#4ec9b0',
  'symbolIcon-variableForeground': '#9cdcfe',
  'debugTokenExpression-string': '#ce9178',
  'debugTokenExpression-number': '#b5cea8',
  'terminal-ansiMagenta': '#bc3fbc',
  'terminal-ansiRed': '#f14c4c',
  'keybindingTable-headerBackground': '#cccccc0a',
  'toolbar-hoverBackground': '#5a5d5e50',
};

const LIGHT = {
  foreground: '#3b3b3b',
  descriptionForeground: '#717171',
  errorForeground: '#f85149',
  focusBorder: '#005fb8',
  'sideBar-background': '#f8f8f8',
  'editor-background': '#ffffff',
  'panel-border': '#e5e5e5',
  'widget-border': '#e5e5e5',
  'button-background': '#005fb8',
  'button-foreground': '#ffffff',
  'button-hoverBackground': '#0258a8',
  'button-border': '#0000001a',
  'button-secondaryBackground': '#e5e5e5',
  'button-secondaryForeground': '#3b3b3b',
  'button-secondaryHoverBackground': '#cccccc',
  'input-background': '#ffffff',
  'input-foreground': '#3b3b3b',
  'input-border': '#cecece',
  'dropdown-background': '#ffffff',
  'dropdown-foreground': '#3b3b3b',
  'dropdown-border': '#cecece',
  'textLink-foreground': '#005fb8',
  'textLink-activeForeground': '#005fb8',
  'textCodeBlock-background': '#f2f2f2',
  'textBlockQuote-background': '#f8f8f8',
  'textBlockQuote-border': '#e5e5e5',
  'badge-background': '#cccccc',
  'badge-foreground': '#3b3b3b',
  'list-hoverBackground': '#f2f2f2',
  'list-inactiveSelectionBackground': '#e4e6f1',
  'inputValidation-errorBackground': '#f2dede',
  'inputValidation-errorBorder': '#be1100',
  'editorWarning-foreground': '#bf8803',
  'symbolIcon-keywordForeground': '#0000ff',
  'symbolIcon-functionForeground': '#795e26',
  'symbolIcon-classForeground': '#267f99',
  'symbolIcon-variableForeground': '#001080',
  'debugTokenExpression-string': '#a31515',
  'debugTokenExpression-number': '#098658',
  'terminal-ansiMagenta': '#bc05bc',
  'terminal-ansiRed': '#cd3131',
  'keybindingTable-headerBackground': '#3b3b3b0a',
  'toolbar-hoverBackground': '#b8b8b850',
};

const HIGH_CONTRAST = {
  ...DARK,
  foreground: '#ffffff',
  descriptionForeground: '#ffffffb3',
  focusBorder: '#f38518',
  contrastBorder: '#6fc3df',
  'sideBar-background': '#000000',
  'editor-background': '#000000',
  'panel-border': '#6fc3df',
  'widget-border': '#6fc3df',
  'input-background': '#000000',
  'input-border': '#6fc3df',
  'button-background': '#000000',
  'button-border': '#6fc3df',
  'textCodeBlock-background': '#000000',
  'inputValidation-errorBackground': '#000000',
};

const THEMES = { dark: [DARK, 'vscode-dark'], light: [LIGHT, 'vscode-light'], hc: [HIGH_CONTRAST, 'vscode-high-contrast'] } as const;

export function applyTheme(name: ThemeName): void {
  const [colors, bodyClass] = THEMES[name];
  const root = document.documentElement;
  for (const [key, value] of Object.entries({ ...COMMON, ...colors })) root.style.setProperty(`--vscode-${key}`, value);
  document.body.classList.remove('vscode-dark', 'vscode-light', 'vscode-high-contrast');
  document.body.classList.add(bodyClass);
  document.body.dataset['vscodeThemeKind'] = bodyClass;
}
