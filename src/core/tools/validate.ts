/**
 * Checks tool arguments against the JSON-schema subset our tools declare: objects with typed properties, `required`,
 * `enum`, `minimum`, arrays of strings or objects. The messages go back to the model, so each says what to send
 * ("`path` is required (string)"). Unknown properties are refused, with the known ones listed: a misspelt optional
 * argument silently ignored (`startLine` for `start_line`) would give the model a result it did not ask for.
 *
 * `null` counts as "not given" for optional properties: models often send it for arguments they do not use.
 */

export type JsonSchema = Record<string, unknown>;

function typeLabel(schema: JsonSchema): string {
  const type = typeof schema.type === 'string' ? schema.type : 'value';
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  if (type === 'array') {
    const items = isSchema(schema.items) ? schema.items : undefined;
    return items ? `array of ${items.type === 'object' ? 'objects' : `${typeLabel(items)}s`}` : 'array';
  }
  return type;
}

function isSchema(v: unknown): v is JsonSchema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

function checkValue(schema: JsonSchema, value: unknown, name: string, problems: string[]): void {
  const type = schema.type;
  const wrong = () => problems.push(`\`${name}\` must be ${withArticle(typeLabel(schema))}, not ${describeValue(value)}.`);
  switch (type) {
    case 'string':
      if (typeof value !== 'string') return void wrong();
      break;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return void wrong();
      break;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return void wrong();
      break;
    case 'boolean':
      if (typeof value !== 'boolean') return void wrong();
      break;
    case 'array': {
      if (!Array.isArray(value)) return void wrong();
      const items = isSchema(schema.items) ? schema.items : undefined;
      if (typeof schema.minItems === 'number' && value.length < schema.minItems) {
        problems.push(`\`${name}\` needs at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}.`);
      }
      if (items) value.forEach((item, i) => checkValue(items, item, `${name}[${i}]`, problems));
      return;
    }
    case 'object':
      if (!isSchema(value)) return void wrong();
      checkObject(schema, value, `${name}.`, problems);
      return;
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) {
    problems.push(`\`${name}\` must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}, not ${describeValue(value)}.`);
  }
  if (typeof schema.minimum === 'number' && typeof value === 'number' && value < schema.minimum) {
    problems.push(`\`${name}\` must be at least ${schema.minimum}, not ${value}.`);
  }
}

function withArticle(label: string): string {
  if (label.startsWith('one of')) return label;
  return /^[aeiou]/.test(label) ? `an ${label}` : `a ${label}`;
}

function checkObject(schema: JsonSchema, value: Record<string, unknown>, prefix: string, problems: string[]): void {
  const properties = isSchema(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : [];
  for (const key of required) {
    const prop = properties[key];
    if (value[key] === undefined || value[key] === null) {
      problems.push(`\`${prefix}${key}\` is required (${isSchema(prop) ? typeLabel(prop) : 'value'}).`);
    }
  }
  const unknown = Object.keys(value).filter((k) => !(k in properties));
  if (unknown.length > 0 && schema.additionalProperties !== true) {
    const known = Object.keys(properties);
    problems.push(
      `Unknown argument${unknown.length === 1 ? '' : 's'} ${unknown.map((k) => `\`${prefix}${k}\``).join(', ')}; ` +
        (known.length ? `the known ones are ${known.map((k) => `\`${prefix}${k}\``).join(', ')}.` : 'this takes no arguments.'),
    );
  }
  for (const [key, prop] of Object.entries(properties)) {
    const v = value[key];
    if (v === undefined || (v === null && !required.includes(key)) || !isSchema(prop)) continue;
    checkValue(prop, v, `${prefix}${key}`, problems);
  }
}

/** The problems with `args` as one message for the model, or undefined when they fit `schema`. */
export function checkArguments(schema: JsonSchema, args: unknown): string | undefined {
  const problems: string[] = [];
  if (!isSchema(args)) return `The arguments must be a JSON object, not ${describeValue(args)}.`;
  checkObject(schema, args, '', problems);
  if (problems.length === 0) return undefined;
  return `Invalid arguments: ${problems.join(' ')} Send the call again with corrected arguments.`;
}

/** Reading checked arguments: `null` and absent are both "not given". */
export function optionalString(args: Record<string, unknown>, key: string): string | undefined {
  const v = args[key];
  return typeof v === 'string' ? v : undefined;
}

export function optionalNumber(args: Record<string, unknown>, key: string): number | undefined {
  const v = args[key];
  return typeof v === 'number' ? v : undefined;
}

export function optionalBoolean(args: Record<string, unknown>, key: string): boolean | undefined {
  const v = args[key];
  return typeof v === 'boolean' ? v : undefined;
}
