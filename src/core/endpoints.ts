/**
 * Where requests go: the three Model Studio regions (OpenAI-compatible mode) or a custom base URL (a workspace host,
 * vLLM, Ollama, LM Studio…). Keys are region-specific, so every endpoint also gets a stable key id for secret storage.
 */
import { redactSecrets } from './redact';

export type Region = 'singapore' | 'beijing' | 'virginia';

export const REGIONS: readonly Region[] = ['singapore', 'beijing', 'virginia'];

/** Singapore is the international default. */
export const DEFAULT_REGION: Region = 'singapore';

export const REGION_BASE_URLS: Readonly<Record<Region, string>> = {
  singapore: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1',
  beijing: 'https://dashscope.aliyuncs.com/compatible-mode/v1',
  virginia: 'https://dashscope-us.aliyuncs.com/compatible-mode/v1',
};

const REGION_NAMES: Readonly<Record<Region, string>> = { singapore: 'Singapore', beijing: 'Beijing', virginia: 'Virginia' };

/**
 * The one name of an endpoint the user sees (header, password prompt, cards, messages): `Model Studio (Singapore)`
 * for a regional endpoint, `Model Studio (<host>)` for another Model Studio host, the host otherwise.
 */
export function describeEndpoint(baseUrl: string): string {
  const region = regionForBaseUrl(baseUrl);
  if (region !== undefined) return `Model Studio (${REGION_NAMES[region]})`;
  try {
    const url = new URL(baseUrl);
    return isDashScopeHost(url.hostname) ? `Model Studio (${url.host})` : url.host;
  } catch {
    return redactSecrets(baseUrl);
  }
}

/** `describeEndpoint` of where the settings point, or what is wrong with them. */
export function endpointLabel(settings: EndpointSettings): string {
  const endpoint = resolveBaseUrl(settings);
  return endpoint.ok ? describeEndpoint(endpoint.baseUrl) : 'Invalid endpoint setting';
}

/** The `qwen.region` and `qwen.baseUrl` settings, as read from configuration (possibly unset or mistyped). */
export interface EndpointSettings {
  /**
   * Model Studio region. Anything else than a known region is reported as an error.
   * @default 'singapore'
   */
  region?: string | undefined;
  /** A non-empty custom base URL overrides the region. */
  baseUrl?: string | undefined;
}

export type ResolvedEndpoint =
  | {
      ok: true;
      /** Normalised base URL, without trailing slash; the client appends `/chat/completions`. */
      baseUrl: string;
      /** The region when the URL is one of the three regional endpoints (also when typed as a custom URL). */
      region?: Region;
      /** True when the URL came from `baseUrl` rather than from the region setting. */
      custom: boolean;
    }
  | { ok: false; message: string };

export function isRegion(value: unknown): value is Region {
  return typeof value === 'string' && (REGIONS as readonly string[]).includes(value);
}

/**
 * Resolve the settings to the base URL requests go to, or to a message telling the user what to fix. Settings of
 * the wrong type (settings.json accepts anything) count as unset.
 */
export function resolveBaseUrl(settings: EndpointSettings): ResolvedEndpoint {
  const custom = typeof settings.baseUrl === 'string' ? settings.baseUrl.trim() : '';
  if (custom !== '') return resolveCustom(custom);

  const region = (typeof settings.region === 'string' ? settings.region.trim() : '') || DEFAULT_REGION;
  if (!isRegion(region)) {
    return {
      ok: false,
      message: `Unknown region "${region}" in qwen.region. Use one of: ${REGIONS.join(', ')}.`,
    };
  }
  return { ok: true, baseUrl: REGION_BASE_URLS[region], region, custom: false };
}

function resolveCustom(typed: string): ResolvedEndpoint {
  // Quoted back in messages: a key pasted into the query must not reach a card or the log.
  const raw = redactSecrets(typed);
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    // The most common slip: a bare host copied from the docs.
    const guess = `https://${raw.replace(/^\/+/, '')}`;
    return {
      ok: false,
      message:
        `The base URL "${raw}" has no scheme. Start it with https:// (or http:// for a local server), ` +
        `for example ${suggestPath(guess)}.`,
    };
  }
  let url: URL;
  try {
    url = new URL(typed);
  } catch {
    return { ok: false, message: `The base URL "${raw}" is not a valid URL. Example: ${REGION_BASE_URLS.singapore}` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, message: `The base URL must use http:// or https://, not ${url.protocol}//.` };
  }
  if (url.search !== '' || url.hash !== '') {
    return { ok: false, message: `The base URL "${raw}" must not contain a query (?) or fragment (#).` };
  }
  const baseUrl = normaliseUrl(url);
  if (isDashScopeHost(url.hostname) && !/\/compatible-mode\/v1$/.test(baseUrl)) {
    // The native DashScope API (/api/v1) and the bare host answer 404 to /chat/completions.
    return {
      ok: false,
      message:
        `"${raw}" is a Model Studio host, but the OpenAI-compatible API lives under /compatible-mode/v1: ` +
        `use ${url.protocol}//${url.host}/compatible-mode/v1.`,
    };
  }
  const region = regionForBaseUrl(baseUrl);
  return { ok: true, baseUrl, ...(region !== undefined && { region }), custom: true };
}

/** `https://host` → `https://host/compatible-mode/v1` for DashScope hosts, unchanged otherwise. */
function suggestPath(guess: string): string {
  try {
    const url = new URL(guess);
    if (isDashScopeHost(url.hostname) && !url.pathname.includes('compatible-mode')) {
      return `${url.protocol}//${url.host}/compatible-mode/v1`;
    }
    return normaliseUrl(url);
  } catch {
    return REGION_BASE_URLS.singapore;
  }
}

/**
 * Lower-case scheme and host (URL does that), no trailing slashes, and no `/chat/completions` suffix: users paste
 * the full endpoint from curl examples, and the SDK would append it a second time.
 */
function normaliseUrl(url: URL): string {
  let path = url.pathname.replace(/\/+$/, '');
  path = path.replace(/\/chat\/completions$/i, '').replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}`;
}

/**
 * A stable id naming the endpoint an API key belongs to: `region:<region>` for the regional endpoints (also when
 * the same URL is typed as a custom base URL, so one key serves both), `url:<normalised url>` otherwise.
 * An invalid custom URL still gets an id (from its trimmed text) so Set API key works before the URL is fixed; the
 * fixed URL has another id, so that key must be set again for it.
 */
export function endpointKey(settings: EndpointSettings): string {
  const resolved = resolveBaseUrl(settings);
  if (!resolved.ok) {
    const custom = typeof settings.baseUrl === 'string' ? settings.baseUrl.trim() : '';
    return custom !== '' ? `url:${custom.replace(/\/+$/, '')}` : `region:${DEFAULT_REGION}`;
  }
  if (resolved.region !== undefined) return `region:${resolved.region}`;
  return `url:${resolved.baseUrl}`;
}

/** The region whose OpenAI-compatible base URL this is (after normalisation), if any. */
export function regionForBaseUrl(baseUrl: string): Region | undefined {
  let normalised: string;
  try {
    normalised = normaliseUrl(new URL(baseUrl.trim()));
  } catch {
    return undefined;
  }
  return REGIONS.find((r) => REGION_BASE_URLS[r] === normalised);
}

/**
 * Whether the URL points at Alibaba Cloud Model Studio (a regional host or a workspace host
 * `{WorkspaceId}.<region>.maas.aliyuncs.com`): only there do DashScope-specific body keys and error codes apply.
 */
export function isDashScope(baseUrl: string): boolean {
  try {
    return isDashScopeHost(new URL(baseUrl.trim()).hostname);
  } catch {
    return false;
  }
}

/**
 * Whether `DASHSCOPE_API_KEY` (a Model Studio key from the environment) may go to where the settings point: Model
 * Studio over https, or a server on this machine (a local proxy, the fake server of the tests) over anything.
 * Never plain http across the network, never another host a custom base URL names.
 */
export function mayUseEnvKey(settings: EndpointSettings): boolean {
  const resolved = resolveBaseUrl(settings);
  if (!resolved.ok) return false;
  const url = new URL(resolved.baseUrl);
  if (isLocalHost(url.hostname)) return true;
  return isDashScopeHost(url.hostname) && url.protocol === 'https:';
}

function isLocalHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}

function isDashScopeHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return /^dashscope(-intl|-us)?\.aliyuncs\.com$/.test(host) || host.endsWith('.maas.aliyuncs.com');
}
