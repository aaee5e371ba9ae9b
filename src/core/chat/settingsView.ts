/** What the next request will do, in the user's words, from the settings and the key lookup. */
import type { ModelChoiceView, SettingsView } from '../../protocol/chat';
import { endpointLabel, isDashScope, isRegion, resolveBaseUrl, type Region } from '../endpoints';
import { getModel, listModels, type ModelInfo } from '../models';
import { priceFor } from '../pricing';
import { effectiveThinking } from '../requestBuilder';
import type { ChatSettings, KeyLookup } from './ports';

export function buildSettingsView(settings: ChatSettings, key: KeyLookup): SettingsView {
  const model = getModel(settings.model);
  const thinking = effectiveThinking(model, settings.thinking);
  const endpoint = resolveBaseUrl(settings);
  const customBaseUrl = (settings.baseUrl?.trim() ?? '') !== '';
  const region: Region = isRegion(settings.region) ? settings.region : endpoint.ok && endpoint.region ? endpoint.region : 'singapore';
  const keyless = endpoint.ok && endpoint.custom && !isDashScope(endpoint.baseUrl);
  const hasApiKey = key.apiKey !== undefined && key.apiKey !== '';
  // A key without a source would be a lookup bug; count it as stored rather than claim there is none.
  const keySource: SettingsView['keySource'] = hasApiKey ? (key.source === 'none' ? 'secret' : key.source) : keyless ? 'notNeeded' : 'none';

  return {
    model: settings.model,
    modelLabel: model.label,
    thinkingMode: settings.thinking,
    thinkingOn: thinking.thinking === true,
    thinkingFixed: thinking.locked,
    thinkingNote: thinkingNote(model, settings),
    endpointLabel: endpointLabel(settings),
    keySource,
    region,
    customBaseUrl,
    models: modelChoices(model),
    thinkingBudget: settings.thinkingBudget ?? 0,
    ...(model.maxThinkingBudget !== undefined && { thinkingBudgetMax: model.maxThinkingBudget }),
    contextWindow: model.contextWindow,
    explicitCache: model.explicitCache && settings.explicitCache !== false,
    ...(settings.spendCap !== undefined && { chatSpendCap: settings.spendCap }),
    ...spendCurrency(settings, endpoint),
  };
}

function spendCurrency(settings: ChatSettings, endpoint: ReturnType<typeof resolveBaseUrl>): Pick<SettingsView, 'spendCurrency'> {
  const region = endpoint.ok ? endpoint.region : undefined;
  const price = region === undefined ? undefined : priceFor(settings.model, region);
  return price ? { spendCurrency: price.currency } : {};
}

/** "QwQ Plus always thinks", "Qwen3 Coder Plus does not think", "Thinking on · budget 4,096 tokens". */
export function thinkingNote(model: ModelInfo, settings: Pick<ChatSettings, 'thinking' | 'thinkingBudget'>): string {
  const thinking = effectiveThinking(model, settings.thinking);
  switch (model.thinking) {
    case 'none':
      return `${model.label} does not think`;
    case 'always':
      return `${model.label} always thinks${budgetNote(model, settings.thinkingBudget, ' · ')}`;
    case 'unknown':
      return 'Unknown model: reasoning is shown if the server sends it';
    default: {
      const how = settings.thinking === 'auto' ? ' (model default)' : '';
      return thinking.thinking === true ? `Thinking on${how}${budgetNote(model, settings.thinkingBudget, ' · ')}` : `Thinking off${how}`;
    }
  }
}

function budgetNote(model: ModelInfo, budget: number | undefined, prefix: string): string {
  if (model.maxThinkingBudget === undefined || budget === undefined || !Number.isFinite(budget) || budget < 1) return '';
  const tokens = Math.min(Math.floor(budget), model.maxThinkingBudget);
  return `${prefix}budget ${tokens.toLocaleString('en-US')} tokens`;
}

/** The catalog, with the configured model first when it is not in it (a local or newer model). */
function modelChoices(current: ModelInfo): ModelChoiceView[] {
  const choices = listModels().map((m) => ({ id: m.id, label: m.label, thinking: m.thinking }));
  if (!choices.some((c) => c.id === current.id)) choices.unshift({ id: current.id, label: current.label, thinking: current.thinking });
  return choices;
}
