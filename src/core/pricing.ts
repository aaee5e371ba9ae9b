/**
 * Prices per model, region and input-length tier, and the cost of one reply from its usage.
 * Only prices that can be cited are in the table; everything else is unknown (`priceFor` returns undefined, never 0),
 * so the UI shows "cost unknown" rather than a wrong number.
 */
import type { Region } from './endpoints';
import type { Usage } from './events';
import { normaliseModelId } from './models';

/** Cache hits without explicit markers cost 20% of the input price (seed 000, notes). */
export const IMPLICIT_CACHE_HIT_FACTOR = 0.2;
/** Explicit cache hits cost 10% (seed 000). Usage does not tell explicit from implicit hits; see `estimateCost`. */
export const EXPLICIT_CACHE_HIT_FACTOR = 0.1;
/** Writing an explicit cache block costs 125% of the input price (seed 000, notes). */
export const EXPLICIT_CACHE_CREATION_FACTOR = 1.25;

/** Prices are per million tokens. */
export const TOKENS_PER_PRICE_UNIT = 1_000_000;

export interface PriceTier {
  /** Inclusive upper bound on prompt tokens for this tier; `Infinity` for the last tier. */
  upToInputTokens: number;
  inputPerMillion: number;
  outputPerMillion: number;
  /** Output price when the reply contained reasoning (some hybrid models price thinking mode higher, seed 003). */
  outputThinkingPerMillion?: number;
  /**
   * Factor of the input price for cached prompt tokens.
   * @default IMPLICIT_CACHE_HIT_FACTOR
   */
  cacheHitFactor?: number;
}

export interface ModelPrice {
  model: string;
  region: Region;
  currency: 'USD' | 'CNY';
  /** Ascending by `upToInputTokens`; the last one is `Infinity`. */
  tiers: readonly PriceTier[];
}

export interface CostEstimate {
  amount: number;
  currency: 'USD' | 'CNY';
  tier: PriceTier;
}

/**
 * The one editable price table.
 *
 * Tier bounds: the notes say "up to 32K input, to 128K, to 256K, to 1M". We read K as 1,000: a prompt of
 * 32,001–32,768 tokens is then priced in the higher tier, so when the documents mean 1,024 we over-estimate
 * (never under-estimate) a spend by at most one tier for those few hundred tokens.
 */
export const PRICE_TABLE: readonly ModelPrice[] = [
  {
    // Notes ("Pricing is tiered by input length…"): qwen3-coder-plus, Beijing, CNY per 1M tokens in/out.
    model: 'qwen3-coder-plus',
    region: 'beijing',
    currency: 'CNY',
    tiers: [
      { upToInputTokens: 32_000, inputPerMillion: 4, outputPerMillion: 16 },
      { upToInputTokens: 128_000, inputPerMillion: 6, outputPerMillion: 24 },
      { upToInputTokens: 256_000, inputPerMillion: 10, outputPerMillion: 40 },
      { upToInputTokens: Infinity, inputPerMillion: 20, outputPerMillion: 200 },
    ],
  },
];

/**
 * The price of a model in a region, or undefined when it is not known (including dated snapshots, which can be
 * priced differently from their family). The id is matched case-insensitively.
 */
export function priceFor(model: string, region: Region, table: readonly ModelPrice[] = PRICE_TABLE): ModelPrice | undefined {
  const id = model.trim().toLowerCase();
  if (normaliseModelId(model).local) return undefined; // Served by another server: Model Studio prices do not apply.
  return table.find((p) => p.model === id && p.region === region);
}

/** The tier a prompt of this size is billed in (the last tier for anything larger). */
export function tierFor(price: ModelPrice, promptTokens: number): PriceTier {
  const tier = price.tiers.find((t) => promptTokens <= t.upToInputTokens) ?? price.tiers[price.tiers.length - 1];
  if (!tier) throw new Error(`Price for ${price.model} has no tiers`);
  return tier;
}

/**
 * What a reply cost. The tier is chosen by `promptTokens`. Cached tokens are billed at the tier's cache factor
 * (the implicit 20% by default: usage does not say whether a hit was explicit, and 20% never under-estimates),
 * explicit cache creation at 125%, the rest of the prompt at the input price. Reasoning tokens are part of
 * `completionTokens` and billed as output; when the reply had reasoning and the tier has a thinking price, all of
 * the output is billed at it (seed 003: non-thinking pricing applies only when no reasoning was produced).
 */
export function estimateCost(usage: Usage, price: ModelPrice): CostEstimate {
  const tier = tierFor(price, usage.promptTokens);
  const cached = clampCount(usage.cachedTokens);
  const created = clampCount(usage.cacheCreationTokens);
  const uncached = Math.max(0, clampCount(usage.promptTokens) - cached - created);
  const cacheFactor = tier.cacheHitFactor ?? IMPLICIT_CACHE_HIT_FACTOR;

  const inputUnits =
    uncached * tier.inputPerMillion +
    cached * tier.inputPerMillion * cacheFactor +
    created * tier.inputPerMillion * EXPLICIT_CACHE_CREATION_FACTOR;
  const outputRate =
    usage.reasoningTokens > 0 && tier.outputThinkingPerMillion !== undefined ? tier.outputThinkingPerMillion : tier.outputPerMillion;
  const outputUnits = clampCount(usage.completionTokens) * outputRate;

  return { amount: (inputUnits + outputUnits) / TOKENS_PER_PRICE_UNIT, currency: price.currency, tier };
}

function clampCount(n: number): number {
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/** A short display form: `¥0.0123` / `$0.0123`, more decimals for tiny amounts. */
export function formatCost(cost: Pick<CostEstimate, 'amount' | 'currency'>): string {
  const symbol = cost.currency === 'CNY' ? '¥' : '$';
  const digits = cost.amount !== 0 && cost.amount < 0.01 ? 4 : 2;
  return `${symbol}${cost.amount.toFixed(digits)}`;
}
