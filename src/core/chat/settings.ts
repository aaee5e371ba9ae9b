/**
 * The `qwen.*` settings as the chat reads them. settings.json accepts anything (`"qwen.baseUrl": null`,
 * `"qwen.region": 5`), so every value is checked here: one of the wrong type falls back to its default and is
 * reported (never thrown), and the chat keeps working.
 */
import { DEFAULT_REGION } from '../endpoints';
import { DEFAULT_REQUEST_TIMEOUT_SECONDS } from '../qwenClient';
import type { ThinkingMode } from '../requestBuilder';
import { DEFAULT_TOOL_SETTINGS, type ChatSettings, type ToolSettings } from './ports';

export const DEFAULT_MODEL = 'qwen3-coder-plus';
const THINKING_MODES: readonly ThinkingMode[] = ['auto', 'on', 'off'];

/** The keys read, without the `qwen.` prefix (as `getConfiguration('qwen').get` wants them). */
export type SettingKey =
  | 'model'
  | 'thinking'
  | 'thinkingBudget'
  | 'maxOutputTokens'
  | 'temperature'
  | 'requestTimeoutSeconds'
  | 'region'
  | 'baseUrl'
  | 'cache.explicit'
  | 'spendCap'
  | 'tools.autoApprove'
  | 'tools.maxTurns'
  | 'tools.spendCap';

/**
 * `get(key)` returns the configured value (undefined when unset); `warn` receives one sentence per value that had
 * to be ignored.
 */
export function parseChatSettings(get: (key: SettingKey) => unknown, warn: (message: string) => void): ChatSettings {
  const ignored = (key: SettingKey, value: unknown, expected: string, fallback: string): void =>
    warn(`Ignored qwen.${key} = ${JSON.stringify(value) ?? String(value)}: expected ${expected}; using ${fallback}.`);

  const text = (key: SettingKey, fallback: string): string => {
    const value = get(key);
    if (value === undefined || value === null) {
      if (value === null) ignored(key, value, 'text', fallback === '' ? 'none' : `"${fallback}"`);
      return fallback;
    }
    if (typeof value !== 'string') {
      ignored(key, value, 'text', fallback === '' ? 'none' : `"${fallback}"`);
      return fallback;
    }
    return value.trim() === '' ? fallback : value.trim();
  };

  /** A positive number; 0 and unset mean "the model's default" (undefined). */
  const positive = (key: SettingKey): number | undefined => {
    const value = get(key);
    if (value === undefined || value === null || value === 0) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      ignored(key, value, 'a number of 0 or more', "the model's default");
      return undefined;
    }
    return value;
  };

  const thinkingValue = text('thinking', 'auto');
  const thinking = (THINKING_MODES as readonly string[]).includes(thinkingValue) ? (thinkingValue as ThinkingMode) : undefined;
  if (thinking === undefined) ignored('thinking', thinkingValue, THINKING_MODES.join(', '), '"auto"');

  const timeout = positive('requestTimeoutSeconds');
  const temperature = get('temperature');
  const validTemperature = typeof temperature === 'number' && Number.isFinite(temperature);
  // null is the schema's "model default"
  if (temperature !== undefined && temperature !== null && !validTemperature) ignored('temperature', temperature, 'a number', "the model's default");

  const baseUrl = text('baseUrl', '');
  const thinkingBudget = positive('thinkingBudget');
  const maxOutputTokens = positive('maxOutputTokens');
  const spendCap = positive('spendCap');
  const explicit = get('cache.explicit');
  if (explicit !== undefined && explicit !== null && typeof explicit !== 'boolean') ignored('cache.explicit', explicit, 'true or false', 'true');
  return {
    tools: toolSettings(get, ignored, positive),
    model: text('model', DEFAULT_MODEL),
    thinking: thinking ?? 'auto',
    requestTimeoutSeconds: timeout ?? DEFAULT_REQUEST_TIMEOUT_SECONDS,
    region: text('region', DEFAULT_REGION),
    ...(baseUrl !== '' && { baseUrl }),
    ...(thinkingBudget !== undefined && { thinkingBudget }),
    ...(maxOutputTokens !== undefined && { maxOutputTokens }),
    ...(validTemperature && { temperature }),
    ...(spendCap !== undefined && { spendCap }),
    explicitCache: explicit !== false,
  };
}

function toolSettings(
  get: (key: SettingKey) => unknown,
  ignored: (key: SettingKey, value: unknown, expected: string, fallback: string) => void,
  positive: (key: SettingKey) => number | undefined,
): ToolSettings {
  const defaults = DEFAULT_TOOL_SETTINGS.autoApprove;
  const autoApprove = { ...defaults };
  const raw = get('tools.autoApprove');
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    for (const name of Object.keys(defaults) as (keyof typeof defaults)[]) {
      const value = (raw as Record<string, unknown>)[name];
      if (typeof value === 'boolean') autoApprove[name] = value;
      else if (value !== undefined) ignored('tools.autoApprove', raw, `true or false for ${name}`, `${name}: ${defaults[name]}`);
    }
  } else if (raw !== undefined && raw !== null) {
    ignored('tools.autoApprove', raw, 'an object like {"readOnly": true}', 'the defaults');
  }
  const turns = get('tools.maxTurns');
  const validTurns = typeof turns === 'number' && Number.isInteger(turns) && turns >= 1 && turns <= 200;
  if (turns !== undefined && turns !== null && !validTurns) ignored('tools.maxTurns', turns, 'a whole number from 1 to 200', String(DEFAULT_TOOL_SETTINGS.maxTurns));
  const spendCap = positive('tools.spendCap');
  return { autoApprove, maxTurns: validTurns ? turns : DEFAULT_TOOL_SETTINGS.maxTurns, ...(spendCap !== undefined && { spendCap }) };
}

/**
 * Reports each ignored value once while it stays: settings are read on every request and every settings change, and
 * a warning repeated on each read would be noise. A value fixed and then broken again is news again.
 */
export class SettingWarnings {
  private shown: ReadonlySet<string> = new Set();

  constructor(private readonly report: (message: string) => void) {}

  /** `current`: what one whole read of the settings ignored. Reports the new ones, forgets the ones gone. */
  update(current: readonly string[]): void {
    for (const message of current) if (!this.shown.has(message)) this.report(message);
    this.shown = new Set(current);
  }
}
