/**
 * Embedded data specifications and the IEC 61360 template (Part 3a, constraints AASc-3a-…), including the
 * ConceptDescription rules AASc-3a-004 … AASc-3a-008 that depend on the CD's category.
 *
 * Not checked: AASc-3a-050 (an IEC 61360 content must be embedded with the template's IRI as
 * dataSpecification). The aas-core test data, our ground truth for what is valid, embeds IEC 61360 content
 * under arbitrary references in its Expected documents, so enforcing it would reject valid input.
 */
import { arrayOf, isObject, quote, stringOf, type ConstraintContext, type JsonObject } from './context.js';
import { checkUniqueLanguages, hasEnglish } from './lang-strings.js';
import { checkReference } from './references.js';

/** AASc-3a-009: data types that are a measure or currency need a unit or unitId. */
const TYPES_WITH_UNIT = new Set(['INTEGER_MEASURE', 'REAL_MEASURE', 'RATIONAL_MEASURE', 'INTEGER_CURRENCY', 'REAL_CURRENCY']);
/** AASc-3a-004: data types allowed for category PROPERTY or VALUE. */
const TYPES_FOR_PROPERTY_OR_VALUE = new Set([
  'DATE', 'STRING', 'STRING_TRANSLATABLE', 'INTEGER_MEASURE', 'INTEGER_COUNT', 'INTEGER_CURRENCY', 'REAL_MEASURE',
  'REAL_COUNT', 'REAL_CURRENCY', 'BOOLEAN', 'RATIONAL', 'RATIONAL_MEASURE', 'TIME', 'TIMESTAMP',
]);
/** AASc-3a-005: data types allowed for category REFERENCE. */
const TYPES_FOR_REFERENCE = new Set(['STRING', 'IRI', 'IRDI']);
/** AASc-3a-006: data types allowed for category DOCUMENT. */
const TYPES_FOR_DOCUMENT = new Set(['FILE', 'BLOB', 'HTML']);

export function checkEmbeddedDataSpecifications(ctx: ConstraintContext, owner: JsonObject): void {
  const list = arrayOf(owner.embeddedDataSpecifications);
  if (list === undefined) return;
  ctx.at('embeddedDataSpecifications', () =>
    list.forEach((eds, i) => ctx.at(i, () => checkEmbeddedDataSpecification(ctx, eds))),
  );
}

export function checkEmbeddedDataSpecification(ctx: ConstraintContext, eds: unknown): void {
  if (!isObject(eds)) return;
  ctx.at('dataSpecification', () => checkReference(ctx, eds.dataSpecification));
  const content = eds.dataSpecificationContent;
  if (isObject(content) && content.modelType === 'DataSpecificationIec61360') {
    ctx.at('dataSpecificationContent', () => checkDataSpecificationIec61360(ctx, content));
  }
}

export function checkDataSpecificationIec61360(ctx: ConstraintContext, content: unknown): void {
  if (!isObject(content)) return;
  checkUniqueLanguages(ctx, content, 'preferredName');
  checkUniqueLanguages(ctx, content, 'shortName');
  checkUniqueLanguages(ctx, content, 'definition');

  if (arrayOf(content.preferredName) !== undefined && !hasEnglish(content.preferredName)) {
    ctx.report('AASc-3a-002: preferredName must be given at least in English', 'preferredName');
  }
  const dataType = stringOf(content.dataType);
  if (dataType !== undefined && TYPES_WITH_UNIT.has(dataType) && content.unit === undefined && content.unitId === undefined) {
    ctx.report(`AASc-3a-009: dataType ${quote(dataType)} is a measure or currency, so unit or unitId must be set`, 'dataType');
  }
  if (content.value !== undefined && content.valueList !== undefined) {
    ctx.report('AASc-3a-010: value and valueList must not both be set', 'valueList');
  }

  if (content.unitId !== undefined) ctx.at('unitId', () => checkReference(ctx, content.unitId));
  if (content.valueList !== undefined) ctx.at('valueList', () => checkValueList(ctx, content.valueList));
}

export function checkValueList(ctx: ConstraintContext, valueList: unknown): void {
  const pairs = isObject(valueList) ? arrayOf(valueList.valueReferencePairs) : undefined;
  if (pairs === undefined) return;
  ctx.at('valueReferencePairs', () => pairs.forEach((pair, i) => ctx.at(i, () => checkValueReferencePair(ctx, pair))));
}

export function checkValueReferencePair(ctx: ConstraintContext, pair: unknown): void {
  if (isObject(pair) && pair.valueId !== undefined) ctx.at('valueId', () => checkReference(ctx, pair.valueId));
}

/** AASc-3a-004 … AASc-3a-008: what a ConceptDescription's category demands of its IEC 61360 contents. */
export function checkConceptDescriptionDataSpecifications(ctx: ConstraintContext, cd: JsonObject): void {
  const list = arrayOf(cd.embeddedDataSpecifications);
  if (list === undefined) return;
  const category = stringOf(cd.category);
  list.forEach((eds, i) => {
    const content = isObject(eds) ? eds.dataSpecificationContent : undefined;
    if (!isObject(content) || content.modelType !== 'DataSpecificationIec61360') return;
    const at: (string | number)[] = ['embeddedDataSpecifications', i, 'dataSpecificationContent'];
    const dataType = stringOf(content.dataType);
    const dataTypeText = dataType === undefined ? 'missing' : quote(dataType);

    // Exception of AASc-3a-008: a concept description describing a value (it carries the value itself).
    if (!hasEnglish(content.definition) && content.value === undefined && category !== 'VALUE') {
      ctx.report(
        'AASc-3a-008: a concept description using IEC 61360 must have a definition at least in English (unless it describes a value)',
        ...at, 'definition',
      );
    }
    if (category === 'QUALIFIER_TYPE' && dataType === undefined) {
      ctx.report('AASc-3a-007: a concept description of category QUALIFIER_TYPE must define the IEC 61360 dataType', ...at, 'dataType');
    }
    if (category === 'DOCUMENT' && (dataType === undefined || !TYPES_FOR_DOCUMENT.has(dataType))) {
      ctx.report(`AASc-3a-006: a concept description of category DOCUMENT needs dataType FILE, BLOB or HTML, not ${dataTypeText}`, ...at, 'dataType');
    }
    if (category === 'REFERENCE' && (dataType === undefined || !TYPES_FOR_REFERENCE.has(dataType))) {
      ctx.report(`AASc-3a-005: a concept description of category REFERENCE needs dataType STRING, IRI or IRDI, not ${dataTypeText}`, ...at, 'dataType');
    }
    if ((category === 'PROPERTY' || category === 'VALUE') && (dataType === undefined || !TYPES_FOR_PROPERTY_OR_VALUE.has(dataType))) {
      ctx.report(
        `AASc-3a-004: a concept description of category ${category} needs one of the dataTypes ${[...TYPES_FOR_PROPERTY_OR_VALUE].join(', ')}, not ${dataTypeText}`,
        ...at, 'dataType',
      );
    }
  });
}
