/**
 * Constraints on the attributes classes inherit from the abstract metamodel classes: HasExtensions (AASd-077),
 * Referable (unique languages of displayName/description), HasSemantics (AASd-118), Qualifiable (AASd-021,
 * and AASd-020 on each Qualifier) and typed values (value vs valueType, AASd-130 on the value string).
 */
import { arrayOf, isObject, quote, stringOf, type ConstraintContext, type JsonObject } from './context.js';
import { checkUniqueLanguages } from './lang-strings.js';
import { checkReference } from './references.js';
import { isValidXsdValue, isXmlSerializable } from './xsd-values.js';

/**
 * Checks `owner[field]` against the XSD type `valueType`: AASd-130 (XML characters only) and the lexical space
 * of the type. `rule` prefixes the type message where Part 1 numbers the rule (AASd-020 for qualifiers).
 */
export function checkTypedValue(ctx: ConstraintContext, owner: JsonObject, field: string, valueType: unknown, rule = ''): void {
  const text = stringOf(owner[field]);
  if (text === undefined) return;
  if (!isXmlSerializable(text)) {
    ctx.report(
      `AASd-130: ${field} contains characters outside tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD and U+10000–U+10FFFF`,
      field,
    );
  }
  const type = stringOf(valueType);
  if (type !== undefined && !isValidXsdValue(type, text)) {
    ctx.report(`${rule}${field} ${quote(text)} is not a valid ${type} (the valueType)`, field);
  }
}

/** HasSemantics: both references, and AASd-118 (supplemental semantic ids need a main semantic id). */
export function checkSemantics(ctx: ConstraintContext, owner: JsonObject): void {
  if (owner.semanticId !== undefined) ctx.at('semanticId', () => checkReference(ctx, owner.semanticId));
  const supplemental = arrayOf(owner.supplementalSemanticIds);
  if (supplemental === undefined) return;
  if (supplemental.length > 0 && owner.semanticId === undefined) {
    ctx.report('AASd-118: supplementalSemanticIds are given, so semanticId must be set too', 'supplementalSemanticIds');
  }
  ctx.at('supplementalSemanticIds', () => supplemental.forEach((ref, i) => ctx.at(i, () => checkReference(ctx, ref))));
}

/** HasExtensions and Referable: AASd-077 and the language rules of displayName and description. */
export function checkReferable(ctx: ConstraintContext, owner: JsonObject): void {
  checkExtensions(ctx, owner);
  checkUniqueLanguages(ctx, owner, 'displayName');
  checkUniqueLanguages(ctx, owner, 'description');
}

export function checkExtensions(ctx: ConstraintContext, owner: JsonObject): void {
  const list = arrayOf(owner.extensions);
  if (list === undefined) return;
  const seen = new Map<string, number>();
  ctx.at('extensions', () =>
    list.forEach((extension, i) => {
      if (!isObject(extension)) return;
      const name = stringOf(extension.name);
      if (name !== undefined) {
        const earlier = seen.get(name);
        if (earlier === undefined) seen.set(name, i);
        else ctx.report(`AASd-077: extension name ${quote(name)} is not unique (first at index ${earlier})`, i, 'name');
      }
      ctx.at(i, () => checkExtension(ctx, extension));
    }),
  );
}

export function checkExtension(ctx: ConstraintContext, extension: unknown): void {
  if (!isObject(extension)) return;
  checkSemantics(ctx, extension);
  // Extension.valueType defaults to xs:string.
  checkTypedValue(ctx, extension, 'value', extension.valueType ?? 'xs:string');
  const refersTo = arrayOf(extension.refersTo);
  if (refersTo !== undefined) ctx.at('refersTo', () => refersTo.forEach((ref, i) => ctx.at(i, () => checkReference(ctx, ref))));
}

/**
 * Qualifiable: AASd-021 (one qualifier per type) and each qualifier. Returns whether any qualifier has kind
 * TemplateQualifier, which AASd-119 and AASd-129 restrict.
 */
export function checkQualifiers(ctx: ConstraintContext, owner: JsonObject): boolean {
  const list = arrayOf(owner.qualifiers);
  if (list === undefined) return false;
  let hasTemplateQualifier = false;
  const seen = new Map<string, number>();
  ctx.at('qualifiers', () =>
    list.forEach((qualifier, i) => {
      if (!isObject(qualifier)) return;
      const type = stringOf(qualifier.type);
      if (type !== undefined) {
        const earlier = seen.get(type);
        if (earlier === undefined) seen.set(type, i);
        else ctx.report(`AASd-021: qualifier type ${quote(type)} occurs more than once (first at index ${earlier})`, i, 'type');
      }
      if (qualifier.kind === 'TemplateQualifier') hasTemplateQualifier = true;
      ctx.at(i, () => checkQualifier(ctx, qualifier));
    }),
  );
  return hasTemplateQualifier;
}

export function checkQualifier(ctx: ConstraintContext, qualifier: unknown): void {
  if (!isObject(qualifier)) return;
  checkSemantics(ctx, qualifier);
  checkTypedValue(ctx, qualifier, 'value', qualifier.valueType, 'AASd-020: ');
  if (qualifier.valueId !== undefined) ctx.at('valueId', () => checkReference(ctx, qualifier.valueId));
}
