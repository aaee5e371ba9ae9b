/**
 * Tool-call arguments are one JSON object, as text. The model does not always write one: parsing never throws, and
 * what goes back to the server in the history is always valid.
 */

/**
 * Tool arguments must be one JSON object; empty text means "no arguments". Never throws: the error text goes back
 * to the model as the tool result so it can resend the call.
 */
export function parseToolArguments(text: string): { arguments: Record<string, unknown> } | { error: string } {
  if (text.trim() === '') return { arguments: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return {
      error:
        `The tool call arguments are not valid JSON (${reason}). ` +
        "Send the call again with the arguments as one complete JSON object matching the tool's parameters.",
    };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const kind = parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : `a ${typeof parsed}`;
    return {
      error: `The tool call arguments must be a JSON object, but they were ${kind}. Send them as {"name": value, …}.`,
    };
  }
  return { arguments: parsed as Record<string, unknown> };
}

/**
 * Arguments as sent back in the history: always a JSON object text. Empty (a call with no parameters) becomes "{}";
 * text the model got wrong (bad or cut JSON) is wrapped so the server, which may parse it, never rejects the
 * history — the model still sees what it wrote, and the tool result beside it says what was wrong.
 */
export function historyArguments(text: string): string {
  if (text.trim() === '') return '{}';
  return 'arguments' in parseToolArguments(text) ? text : JSON.stringify({ invalid_arguments: text });
}
