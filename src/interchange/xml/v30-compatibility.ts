/**
 * What a V3.0 XML document (namespace https://admin-shell.io/aas/3/0, V3.0 AAS.xsd) cannot carry of a V3.1
 * model. The two XSDs have the same elements in the same order; V3.1 made some elements optional, added one
 * enumeration value and widened some facets. The writer asks this module about each object when writing V3.0
 * and refuses the whole document, listing every problem, rather than write a file V3.0 tools reject.
 */
import type { ErrorDetail } from '../../errors.js';
import type { XmlClass } from './xml-classes.js';

/** Elements optional in V3.1 that V3.0 requires. */
const REQUIRED_IN_V30: Readonly<Record<string, readonly string[]>> = {
  Blob: ['contentType'],
  File: ['contentType'],
  Entity: ['entityType'],
  RelationshipElement: ['first', 'second'],
  AnnotatedRelationshipElement: ['first', 'second'],
  ValueReferencePair: ['valueId'],
};

/** V3.0 idShort: no hyphen (V3.1 AASd-002 allows inner hyphens). */
const V30_ID_SHORT = /^[a-zA-Z][a-zA-Z0-9_]*$/;

/** V3.0 limits that V3.1 raised: identifiers, paths and IEC 61360 values 2000 (now 2048), content types 100 (128). */
const V31_IDENTIFIER_LENGTH = 2048;
const V30_IDENTIFIER_LENGTH = 2000;
const V30_CONTENT_TYPE_LENGTH = 100;

/** Length as XSD counts it: characters (code points), not UTF-16 units. */
const characterCount = (value: string): number => [...value].length;

/** Problems writing `value` (an instance of `cls`, at JSON path `path`) as V3.0; empty when it fits. */
export function v30Problems(cls: XmlClass, value: Record<string, unknown>, path: string): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  for (const name of REQUIRED_IN_V30[cls.name] ?? []) {
    if (value[name] === undefined) {
      problems.push({ path: `${path}.${name}`, text: `${cls.name}.${name} is required in metamodel V3.0; write V3.1 instead` });
    }
  }
  if (cls.name === 'AssetInformation' && value.assetKind === 'Role') {
    problems.push({ path: `${path}.assetKind`, text: 'assetKind "Role" is new in metamodel V3.1; V3.0 has only Type, Instance and NotApplicable' });
  }
  if (typeof value.idShort === 'string' && !V30_ID_SHORT.test(value.idShort)) {
    problems.push({ path: `${path}.idShort`, text: `idShort "${value.idShort}" has a hyphen, which metamodel V3.0 does not allow` });
  }
  for (const field of cls.fields) {
    const text = value[field.name];
    if (field.kind !== 'text' || typeof text !== 'string') continue;
    const limit = field.name === 'contentType' ? V30_CONTENT_TYPE_LENGTH : field.maxLength === V31_IDENTIFIER_LENGTH ? V30_IDENTIFIER_LENGTH : undefined;
    if (limit !== undefined && characterCount(text) > limit) {
      problems.push({ path: `${path}.${field.name}`, text: `${cls.name}.${field.name} is longer than the ${limit} characters metamodel V3.0 allows` });
    }
  }
  return problems;
}
