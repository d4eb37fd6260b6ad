/** The published schema document: generated, not hand-edited, and self-contained. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { VALIDATION_CLASSES } from '../../src/validation/schema-check.js';
import {
  buildMetamodelSchemaDocument,
  METAMODEL_SCHEMA_DIALECT,
  renderMetamodelSchemaDocument,
} from '../../src/validation/schema/document.js';

const committedFile = fileURLToPath(new URL('../../aas-schemas/metamodel.schema.json', import.meta.url));

type Node = Record<string, unknown>;

/** Every object node of a JSON value, depth first. */
function* objects(value: unknown): Generator<Node> {
  if (Array.isArray(value)) for (const item of value) yield* objects(item);
  else if (value !== null && typeof value === 'object') {
    yield value as Node;
    for (const child of Object.values(value)) yield* objects(child);
  }
}

test('aas-schemas/metamodel.schema.json is what the generator emits now (run: npx tsx src/validation/schema/emit.ts)', () => {
  assert.equal(readFileSync(committedFile, 'utf8'), renderMetamodelSchemaDocument());
});

test('the document is draft 2020-12 with a $defs entry per validation class', () => {
  const document = buildMetamodelSchemaDocument();
  assert.equal(document.$schema, METAMODEL_SCHEMA_DIALECT);
  assert.equal(METAMODEL_SCHEMA_DIALECT, 'https://json-schema.org/draft/2020-12/schema');
  const defs = document.$defs as Record<string, Node>;
  for (const cls of VALIDATION_CLASSES) assert.ok(defs[cls], `missing $defs/${cls}`);
});

test('the document is a valid JSON Schema (2020-12 meta-schema)', () => {
  const ajv = new Ajv2020({ discriminator: true });
  assert.equal(ajv.validateSchema(buildMetamodelSchemaDocument()), true, ajv.errorsText(ajv.errors));
});

test('every $ref points to a $defs entry of the same document', () => {
  const document = buildMetamodelSchemaDocument();
  const defs = document.$defs as Record<string, Node>;
  const refs = [...objects(document)].map((node) => node.$ref).filter((ref) => ref !== undefined);
  assert.ok(refs.length > 100);
  for (const ref of refs) {
    assert.match(String(ref), /^#\/\$defs\/[A-Za-z0-9]+$/);
    assert.ok(defs[String(ref).slice('#/$defs/'.length)], `dangling ${String(ref)}`);
  }
  assert.equal([...objects(document)].filter((node) => '$id' in node).length, 1, 'only the root has an $id');
});

test('classes are closed and abstract classes are oneOf + discriminator on modelType', () => {
  const defs = buildMetamodelSchemaDocument().$defs as Record<string, Node>;
  for (const [name, def] of Object.entries(defs)) {
    if (def.type === 'object' && def.properties) assert.equal(def.additionalProperties, false, name);
  }
  for (const name of ['SubmodelElement', 'DataElement', 'DataSpecificationContent']) {
    assert.deepEqual(defs[name].discriminator, { propertyName: 'modelType' }, name);
    assert.ok(Array.isArray(defs[name].oneOf), name);
    assert.equal(defs[name].anyOf, undefined, name);
  }
  assert.equal((defs.SubmodelElement.oneOf as unknown[]).length, 14);
  const property = defs.Property as { properties: Record<string, Node>; required: string[] };
  assert.deepEqual(property.properties.modelType, { type: 'string', const: 'Property' });
  assert.deepEqual(property.required, ['valueType', 'modelType']);
});

test('patterns carry no raw surrogates or control characters, only escapes', () => {
  const text = renderMetamodelSchemaDocument();
  assert.doesNotMatch(text, /[\uD800-\uDFFF]/);
  assert.ok(![...text].some((c) => c.charCodeAt(0) < 0x09), 'no control characters below TAB');
  assert.match(text, /\\\\uD800-\\\\uDBFF/);
});
