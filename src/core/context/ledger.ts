/**
 * What caching saved, per request and per chat, for the chat header: cached tokens read (hits), tokens written to an
 * explicit cache (creation), and the money saved against the same request without any cache.
 *
 * Per request, at the input price of the tier its prompt size falls in (tiers are per request, not per chat):
 *   saved = hits × price × (1 − hit factor) − created × price × (1.25 − 1)
 * Hit factor: 10% when the request carried explicit markers, 20% otherwise (implicit). The two modes are exclusive
 * per request (Model Studio's context-cache page), so the request's mode says which factor its hits get — `usage`
 * itself does not tell. Creation costs 25% more than plain input, so a turn that only writes saves a negative amount;
 * the next turn's hit pays it back. A model or region without a known price has unknown savings, never 0.
 */
import type { Region } from '../endpoints';
import type { Usage } from '../events';
import {
  EXPLICIT_CACHE_CREATION_FACTOR,
  EXPLICIT_CACHE_HIT_FACTOR,
  IMPLICIT_CACHE_HIT_FACTOR,
  PRICE_TABLE,
  TOKENS_PER_PRICE_UNIT,
  estimateCost,
  formatCost,
  priceFor,
  tierFor,
  type ModelPrice,
  type PriceTier,
} from '../pricing';

export type Currency = ModelPrice['currency'];

export interface LedgerEntry {
  model: string;
  region: Region;
  explicit: boolean;
  promptTokens: number;
  cachedTokens: number;
  cacheCreationTokens: number;
  /** Undefined when the price is unknown. */
  price?: { currency: Currency; tier: PriceTier; saved: number; cost: number };
}

export interface LedgerSummary {
  requests: number;
  cachedTokens: number;
  cacheCreationTokens: number;
  promptTokens: number;
  /** Share of prompt tokens served from cache, 0–1. */
  hitRate: number;
  /** Saved per currency, over the requests with a known price. */
  saved: Partial<Record<Currency, number>>;
  /** Cost per currency (input and output, cache priced as billed), over the requests with a known price. */
  cost: Partial<Record<Currency, number>>;
  /** Requests whose price is unknown: when above 0 the totals are incomplete and must say so. */
  unknownPrice: number;
}

/** One request's ledger line. */
export function ledgerEntry(usage: Usage, model: string, region: Region, explicit: boolean, table: readonly ModelPrice[] = PRICE_TABLE): LedgerEntry {
  const entry: LedgerEntry = {
    model,
    region,
    explicit,
    promptTokens: nonNegative(usage.promptTokens),
    cachedTokens: nonNegative(usage.cachedTokens),
    cacheCreationTokens: nonNegative(usage.cacheCreationTokens),
  };
  const price = priceFor(model, region, table);
  if (!price) return entry;
  const tier = tierFor(price, entry.promptTokens);
  const hitFactor = explicit ? EXPLICIT_CACHE_HIT_FACTOR : (tier.cacheHitFactor ?? IMPLICIT_CACHE_HIT_FACTOR);
  const saved =
    (entry.cachedTokens * tier.inputPerMillion * (1 - hitFactor) -
      entry.cacheCreationTokens * tier.inputPerMillion * (EXPLICIT_CACHE_CREATION_FACTOR - 1)) /
    TOKENS_PER_PRICE_UNIT;
  // estimateCost bills hits at the tier's factor; an explicit request's hits are billed at 10%.
  const billed: ModelPrice = explicit ? { ...price, tiers: price.tiers.map((t) => ({ ...t, cacheHitFactor: EXPLICIT_CACHE_HIT_FACTOR })) } : price;
  const cost = estimateCost(usage, billed).amount;
  entry.price = { currency: price.currency, tier, saved, cost };
  return entry;
}

/** The chat's ledger; one `add` per reply that reported usage. */
export class ChatLedger {
  private readonly list: LedgerEntry[] = [];

  constructor(private readonly table: readonly ModelPrice[] = PRICE_TABLE) {}

  add(usage: Usage, model: string, region: Region, explicit: boolean): LedgerEntry {
    const entry = ledgerEntry(usage, model, region, explicit, this.table);
    this.list.push(entry);
    return entry;
  }

  get entries(): readonly LedgerEntry[] {
    return this.list;
  }

  summary(): LedgerSummary {
    const s: LedgerSummary = { requests: 0, cachedTokens: 0, cacheCreationTokens: 0, promptTokens: 0, hitRate: 0, saved: {}, cost: {}, unknownPrice: 0 };
    for (const e of this.list) {
      s.requests++;
      s.cachedTokens += e.cachedTokens;
      s.cacheCreationTokens += e.cacheCreationTokens;
      s.promptTokens += e.promptTokens;
      if (!e.price) {
        s.unknownPrice++;
        continue;
      }
      const c = e.price.currency;
      s.saved[c] = (s.saved[c] ?? 0) + e.price.saved;
      s.cost[c] = (s.cost[c] ?? 0) + e.price.cost;
    }
    s.hitRate = s.promptTokens > 0 ? s.cachedTokens / s.promptTokens : 0;
    return s;
  }
}

/**
 * The header's cache line, e.g. `cache 41.2K read · 12.3K written · saved ¥0.21`. Unknown prices show as unknown:
 * `saved unknown`, or `saved ¥0.21 + unknown` when only some requests have a price.
 */
export function formatLedger(s: LedgerSummary): string {
  const amounts = (Object.entries(s.saved) as [Currency, number][]).map(([currency, amount]) => formatSigned(amount, currency));
  const saved = amounts.length === 0 ? 'unknown' : `${amounts.join(' + ')}${s.unknownPrice > 0 ? ' + unknown' : ''}`;
  return `cache ${formatTokens(s.cachedTokens)} read · ${formatTokens(s.cacheCreationTokens)} written · saved ${saved}`;
}

function formatSigned(amount: number, currency: Currency): string {
  return amount < 0 ? `−${formatCost({ amount: -amount, currency })}` : formatCost({ amount, currency });
}

export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)}K`;
  return `${(n / 1_000_000).toFixed(2)}M`;
}

function nonNegative(n: number): number {
  return Number.isFinite(n) && n > 0 ? n : 0;
}
