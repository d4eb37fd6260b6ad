/**
 * Writes aas-schemas/metamodel.schema.json from the TypeBox module. Run after changing anything in this folder:
 *   npx tsx src/validation/schema/emit.ts
 * A unit test fails while the committed file differs from what this would write.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderMetamodelSchemaDocument } from './document.js';

const METAMODEL_SCHEMA_FILE = fileURLToPath(
  new URL('../../../aas-schemas/metamodel.schema.json', import.meta.url),
);

writeFileSync(METAMODEL_SCHEMA_FILE, renderMetamodelSchemaDocument());
console.log(`wrote ${METAMODEL_SCHEMA_FILE}`);
