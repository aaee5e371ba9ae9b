import * as vscode from 'vscode';
import type { ChatSettings, KeyLookup } from '../core/chat/ports';
import { endpointKey, endpointLabel, mayUseEnvKey } from '../core/endpoints';
import { COMMANDS } from './ids';
import { readChatSettings } from './config';
import { pickRegion } from './pickers';

/** SecretStorage names are `qwen.apiKey.<endpoint key>`: one key per region or custom base URL. */
const SECRET_PREFIX = 'qwen.apiKey.';
export const ENV_KEY = 'DASHSCOPE_API_KEY';

function secretName(settings: ChatSettings): string {
  return SECRET_PREFIX + endpointKey(settings);
}

/** The API keys, one SecretStorage entry per endpoint. Nothing here logs, posts or returns a key except `lookup`. */
export class ApiKeys {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  async lookup(settings: ChatSettings): Promise<KeyLookup> {
    const stored = (await this.secrets.get(secretName(settings)))?.trim();
    if (stored) return { apiKey: stored, source: 'secret' };
    const fromEnv = this.env[ENV_KEY]?.trim();
    if (fromEnv && mayUseEnvKey(settings)) return { apiKey: fromEnv, source: 'env' };
    return { source: 'none' };
  }

  /** Stores `key` (trimmed) for the endpoint `settings` point at. Throws on an empty key. */
  async store(settings: ChatSettings, key: string): Promise<void> {
    const trimmed = key.trim();
    const problem = keyProblem(trimmed);
    if (problem) throw new Error(problem);
    await this.secrets.store(secretName(settings), trimmed);
  }

  /** Removes the key of the endpoint `settings` point at; true when there was one. */
  async clear(settings: ChatSettings): Promise<boolean> {
    const name = secretName(settings);
    const had = (await this.secrets.get(name)) !== undefined;
    await this.secrets.delete(name);
    return had;
  }

  /**
   * After a region switch from a card where `from`'s stored key was rejected: when `to` has no key at all, the
   * rejected key goes along (it was most likely saved under the wrong region). True when it was copied.
   */
  async carry(from: ChatSettings, to: ChatSettings): Promise<boolean> {
    const key = (await this.secrets.get(secretName(from)))?.trim();
    if (!key || secretName(from) === secretName(to) || (await this.lookup(to)).source !== 'none') return false;
    await this.secrets.store(secretName(to), key);
    return true;
  }

  /** Whether a key is stored for any endpoint (the first `Set API key` asks for the region). */
  async anyStored(): Promise<boolean> {
    return (await this.secrets.keys()).some((k) => k.startsWith(SECRET_PREFIX));
  }

  onDidChange(listener: () => void): vscode.Disposable {
    return this.secrets.onDidChange((e) => {
      if (e.key.startsWith(SECRET_PREFIX)) listener();
    });
  }
}

/** Why a typed key cannot be right, or undefined. */
export function keyProblem(trimmed: string): string | undefined {
  if (trimmed === '') return 'The API key is empty.';
  if (/\s/.test(trimmed)) return 'An API key has no spaces or line breaks: paste the key alone.';
  return undefined;
}

/** `qwen.setApiKey` (asks for the region the first time) and `qwen.clearApiKey`; changes reach `onChange`. */
export function registerSecrets(context: vscode.ExtensionContext, keys: ApiKeys, onChange: () => void): void {
  context.subscriptions.push(
    keys.onDidChange(onChange),
    vscode.commands.registerCommand(COMMANDS.setApiKey, () => promptForKey(keys)),
    vscode.commands.registerCommand(COMMANDS.clearApiKey, async () => {
      const settings = readChatSettings();
      const had = await keys.clear(settings);
      const where = endpointLabel(settings);
      const stillEnv = (await keys.lookup(settings)).source === 'env';
      const message =
        (had ? `Qwen API key for ${where} removed.` : `No Qwen API key was stored for ${where}.`) +
        (stillEnv ? ` ${ENV_KEY} from the environment still supplies a key for it.` : '');
      void vscode.window.showInformationMessage(message);
      // returned for tests, which cannot read notifications
      return message;
    }),
  );
}

/** The password prompt. Returns true when a key was stored. */
export async function promptForKey(keys: ApiKeys): Promise<boolean> {
  let settings = readChatSettings();
  // A Model Studio key works in one region only: before the first key, make sure the region is the right one.
  if (!settings.baseUrl && !(await keys.anyStored())) {
    const region = await pickRegion('Which Model Studio region is your API key for?');
    if (region === undefined) return false;
    settings = readChatSettings();
  }
  const where = endpointLabel(settings);
  const key = await vscode.window.showInputBox({
    title: `Qwen API key for ${where}`,
    prompt: `Stored in VS Code's secret storage for ${where}; never in settings.`,
    placeHolder: 'sk-…',
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => keyProblem(value.trim()),
  });
  if (key === undefined) return false;
  await keys.store(settings, key);
  void vscode.window.showInformationMessage(`Qwen API key for ${where} saved.`);
  return true;
}
