/**
 * Before a call runs: is it a call we can run at all? A bad call is never an exception, it is a tool error the
 * model reads and corrects (cut JSON, a name it made up, a forgotten parameter). The schema check is deliberately
 * small — required properties and top-level JSON types — because the tools check their own arguments in detail;
 * this one only keeps `spec.run` from being handed something its types promise it never gets.
 */
import type { ToolCallRequest } from '../events';
import type { ToolResult, ToolSpec } from '../tools/types';

export type CheckedCall =
  | { ok: true; spec: ToolSpec; args: Record<string, unknown> }
  | { ok: false; result: ToolResult };

/** Finds the tool and checks the arguments; never throws. */
export function checkCall(call: ToolCallRequest, tools: readonly ToolSpec[]): CheckedCall {
  if (call.parseError !== undefined) return refused(call.parseError, 'Invalid arguments');
  const spec = tools.find((t) => t.definition.name === call.name);
  if (!spec) {
    const names = tools.map((t) => t.definition.name).join(', ') || '(none)';
    return refused(
      `There is no tool named "${call.name}". The available tools are: ${names}. Call one of them by its exact name.`,
      `Unknown tool "${call.name}"`,
    );
  }
  const args = call.arguments ?? {};
  const checked = checkArguments(args, spec.definition.parameters);
  if (checked.problems.length > 0) {
    return refused(
      `The arguments of ${call.name} are not valid: ${checked.problems.join('; ')}. ` +
        `Its parameters are ${describeParameters(spec.definition.parameters)}. Send the call again with corrected arguments.`,
      'Invalid arguments',
    );
  }
  return { ok: true, spec, args: checked.args };
}

function refused(content: string, summary: string): CheckedCall {
  return { ok: false, result: { ok: false, content, summary } };
}

type Schema = Record<string, unknown>;

const isRecord = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);
const asSchema = (v: unknown): Schema => (isRecord(v) ? v : {});

/**
 * Required properties present, each given property of the JSON type its schema names. A property sent as `null`
 * counts as not given (dropped; missing if required) unless its schema allows null: models often write
 * `"limit": null` for "not given", and refusing it would cost a turn for nothing.
 */
export function checkArguments(args: Record<string, unknown>, parameters: Schema): { args: Record<string, unknown>; problems: string[] } {
  const properties = isRecord(parameters['properties']) ? parameters['properties'] : {};
  const required = Array.isArray(parameters['required']) ? parameters['required'].filter((r): r is string => typeof r === 'string') : [];
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const name of required) {
    const value = args[name];
    if (value === undefined || (value === null && !allowsType(asSchema(properties[name]), 'null'))) {
      problems.push(`the required parameter "${name}" is missing`);
    }
  }
  for (const [name, value] of Object.entries(args)) {
    const schema = properties[name];
    if (value === null && !(isRecord(schema) && allowsType(schema, 'null'))) continue; // required: reported missing above
    if (!isRecord(schema)) {
      if (parameters['additionalProperties'] === false) problems.push(`"${name}" is not a parameter of this tool`);
      else out[name] = value;
      continue;
    }
    const actual = jsonType(value);
    if (!typeMatches(schema, actual)) problems.push(`"${name}" must be ${typeNames(schema)}, not ${withArticle(actual)}`);
    else if (Array.isArray(schema['enum']) && !schema['enum'].includes(value)) {
      problems.push(`"${name}" must be one of ${schema['enum'].map((e) => JSON.stringify(e)).join(', ')}`);
    }
    out[name] = value;
  }
  return { args: out, problems };
}

type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object' | 'null';

function jsonType(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'string' || typeof value === 'boolean') return typeof value as 'string' | 'boolean';
  return 'object';
}

function declaredTypes(schema: Schema): string[] {
  const t = schema['type'];
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string');
  return [];
}

function allowsType(schema: Schema, type: string): boolean {
  return declaredTypes(schema).includes(type);
}

function typeMatches(schema: Schema, actual: JsonType): boolean {
  const types = declaredTypes(schema);
  if (types.length === 0) return true; // no type named (anyOf, $ref…): the tool checks it
  return types.some((t) => t === actual || (t === 'number' && actual === 'integer'));
}

const withArticle = (t: string): string => (t === 'null' ? t : /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);

function typeNames(schema: Schema): string {
  return declaredTypes(schema).map(withArticle).join(' or ');
}

/** `path (string, required), startLine (integer)`: what the model needs to resend the call. */
function describeParameters(parameters: Schema): string {
  const properties = isRecord(parameters['properties']) ? parameters['properties'] : {};
  const required = Array.isArray(parameters['required']) ? parameters['required'] : [];
  const parts = Object.entries(properties).map(([name, schema]) => {
    const type = isRecord(schema) ? declaredTypes(schema).join(' | ') : '';
    const notes = [type, required.includes(name) ? 'required' : ''].filter((s) => s !== '').join(', ');
    return notes ? `${name} (${notes})` : name;
  });
  return parts.length > 0 ? parts.join(', ') : 'none';
}
