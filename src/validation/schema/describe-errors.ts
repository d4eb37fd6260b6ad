/**
 * Turns ajv's errors into ValidationIssues a client can act on: the JSON path of the offending value and what is
 * wrong in plain words (no schema paths, no regex sources).
 */
import type { ErrorObject } from 'ajv';
import { jsonPath, type ValidationIssue } from '../issues.js';
import { patternMessages } from './patterns.js';

/**
 * Path segments of an ajv instancePath (a JSON Pointer), with array indexes as numbers. Whether a segment is an
 * index is decided by walking the validated value, so a property named "0" stays a name.
 */
function pathSegments(root: unknown, pointer: string): (string | number)[] {
  if (pointer === '') return [];
  const segments: (string | number)[] = [];
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const name = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node) && /^(0|[1-9][0-9]*)$/.test(name)) {
      segments.push(Number(name));
      node = node[Number(name)];
    } else {
      segments.push(name);
      node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[name] : undefined;
    }
  }
  return segments;
}

/** JSON type of a value as a message names it. */
function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'object': return 'an object';
    case 'string': return 'a string';
    case 'number': return Number.isInteger(value) ? 'an integer' : 'a number';
    default: return `a ${typeof value}`;
  }
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  object: 'an object',
  array: 'an array',
  boolean: 'a boolean (true or false)',
  number: 'a number',
  integer: 'an integer',
  null: 'null',
};

/** Names of the classes a discriminated union accepts, read from its `oneOf` of `$ref`s. */
function unionMembers(unionSchema: unknown): string[] {
  const oneOf = (unionSchema as { oneOf?: { $ref?: string }[] } | undefined)?.oneOf ?? [];
  return oneOf.map((branch) => (branch.$ref ?? '').split('/').pop() ?? '').filter((name) => name !== '');
}

const quote = (value: unknown): string => JSON.stringify(value);

/**
 * One ajv error as an issue. ajv must run with `verbose: true` (errors carry `data` and `parentSchema`).
 * `segments` is the path of the value the error is about.
 */
function describe(error: ErrorObject, segments: (string | number)[]): ValidationIssue {
  const params = error.params as Record<string, unknown>;
  const issue = (message: string, at = segments): ValidationIssue => ({
    kind: 'schema',
    path: jsonPath(at),
    message,
  });
  switch (error.keyword) {
    case 'required':
      return issue(`required property ${quote(params.missingProperty)} is missing`);
    case 'additionalProperties':
      return issue(`unexpected property ${quote(params.additionalProperty)}`, [
        ...segments,
        String(params.additionalProperty),
      ]);
    case 'type': {
      const expected = String(params.type).split(',').map((t) => TYPE_NAMES[t] ?? t).join(' or ');
      return issue(`must be ${expected}, not ${typeOf(error.data)}`);
    }
    case 'enum':
      return issue(`must be one of ${(params.allowedValues as unknown[]).join(', ')} (got ${quote(error.data)})`);
    case 'const':
      return issue(`must be ${quote(params.allowedValue)} (got ${quote(error.data)})`);
    case 'minLength':
      return params.limit === 1
        ? issue('must not be empty')
        : issue(`must be at least ${String(params.limit)} characters long`);
    case 'maxLength':
      return issue(`must be at most ${String(params.limit)} characters long (got ${[...String(error.data)].length})`);
    case 'minItems':
      return params.limit === 1
        ? issue('must not be an empty array (leave the property out instead)')
        : issue(`must have at least ${String(params.limit)} items`);
    case 'pattern': {
      return issue(patternMessages.get(String(params.pattern)) ?? `must match the pattern ${String(params.pattern)}`);
    }
    case 'discriminator': {
      const tag = String(params.tag);
      const allowed = unionMembers(error.parentSchema).join(', ');
      if (params.tagValue === undefined) return issue(`required property ${quote(tag)} is missing`);
      if (params.error === 'tag') return issue(`${quote(tag)} must be a string, not ${typeOf(params.tagValue)}`);
      return issue(`${quote(tag)} must be one of ${allowed} (got ${quote(params.tagValue)})`);
    }
    default:
      return issue(error.message ?? `violates the schema keyword "${error.keyword}"`);
  }
}

/**
 * ajv's errors for `value` as issues, at most `limit` of them; when there are more, the last issue says how many
 * were left out. Exact duplicates (the same message at the same path) are reported once.
 */
export function describeSchemaErrors(
  errors: readonly ErrorObject[],
  value: unknown,
  limit: number,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const described = describe(error, pathSegments(value, error.instancePath));
    const key = `${described.path}\u0000${described.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(described);
  }
  if (issues.length <= limit) return issues;
  const shown = issues.slice(0, limit - 1);
  shown.push({
    kind: 'schema',
    path: '$',
    message: `${issues.length - shown.length} further schema issues not listed`,
  });
  return shown;
}
