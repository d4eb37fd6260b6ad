/**
 * OPC UA LocalizedText ↔ the value of a MultiLanguageProperty (a list of LangStringTextType, Part 1 §5.3.11.3).
 *
 * Decisions:
 * - A LocalizedText without a locale (null or "", which OPC UA allows: Part 3 §8.5) becomes language
 *   DEFAULT_LANGUAGE ("en"), since a LangString must carry a BCP 47 tag. A locale that is not a BCP 47 tag throws.
 * - An entry with no text (null or "") is left out: a LangString's text has at least one character. Text over
 *   1023 characters (LangStringTextType's limit) throws. Two entries in one language throw (the list would be
 *   ambiguous), as does a list that ends up empty.
 * - Towards the device: an Array node gets every entry in order; a scalar node gets the first entry (MLPs list
 *   their main language first), or the one in `preferredLanguage` when given and present.
 */
import { DataType, LocalizedText, Variant, VariantArrayType } from 'node-opcua';
import { isXmlSerializable } from '../../validation/constraints/xsd-values.js';
import { bcp47LanguageTag } from '../../validation/schema/patterns.js';
import type { LangStringTextType } from '../../validation/schema/metamodel.js';
import { ConversionError } from './conversion-error.js';

/** The language given to a LocalizedText that arrives without a locale. */
export const DEFAULT_LANGUAGE = 'en';

const LANGUAGE_TAG = new RegExp(bcp47LanguageTag);
const MAX_TEXT_LENGTH = 1023;

function describe(text: LocalizedText): string {
  return `LocalizedText {locale: ${JSON.stringify(text.locale)}, text: ${JSON.stringify(text.text)}}`;
}

/** LocalizedText (or an array of them, or a Variant holding either) → a MultiLanguageProperty value. */
export function localizedTextToLangStrings(
  value: LocalizedText | readonly LocalizedText[] | Variant,
): LangStringTextType[] {
  if (value instanceof Variant && value.dataType !== DataType.LocalizedText) {
    throw new ConversionError(
      `Cannot convert OPC UA ${DataType[value.dataType]} to a MultiLanguageProperty value: not LocalizedText`,
    );
  }
  const raw: unknown = value instanceof Variant ? value.value : value;
  const entries: unknown[] = raw instanceof LocalizedText ? [raw] : Array.from(raw as ArrayLike<unknown>);
  const result: LangStringTextType[] = [];
  for (const entry of entries) {
    if (!(entry instanceof LocalizedText)) {
      throw new ConversionError(`Cannot convert ${String(entry)} to a LangString: not a LocalizedText`);
    }
    const text = entry.text ?? '';
    if (text === '') continue;
    const language = entry.locale ? entry.locale : DEFAULT_LANGUAGE;
    const fail = (why: string): never => {
      throw new ConversionError(`Cannot convert ${describe(entry)} to a LangString: ${why}`);
    };
    if (!LANGUAGE_TAG.test(language)) fail('the locale is not a BCP 47 language tag');
    if (text.length > MAX_TEXT_LENGTH) fail(`the text is longer than ${MAX_TEXT_LENGTH} characters`);
    if (!isXmlSerializable(text)) fail('the text holds characters XML cannot carry (AASd-130)');
    if (result.some((l) => l.language.toLowerCase() === language.toLowerCase())) fail(`language ${language} twice`);
    result.push({ language, text });
  }
  if (result.length === 0) throw new ConversionError('Cannot convert an empty LocalizedText to a MultiLanguageProperty value');
  return result;
}

/** A MultiLanguageProperty value → a LocalizedText Variant for a node of this array type (see the header). */
export function langStringsToLocalizedText(
  langStrings: readonly LangStringTextType[],
  arrayType: VariantArrayType = VariantArrayType.Scalar,
  preferredLanguage?: string,
): Variant {
  if (langStrings.length === 0) {
    throw new ConversionError('Cannot convert an empty MultiLanguageProperty value to OPC UA LocalizedText');
  }
  const toText = (l: LangStringTextType) => new LocalizedText({ locale: l.language, text: l.text });
  if (arrayType === VariantArrayType.Array) {
    return new Variant({ dataType: DataType.LocalizedText, arrayType, value: langStrings.map(toText) });
  }
  if (arrayType !== VariantArrayType.Scalar) {
    throw new ConversionError('Cannot convert a MultiLanguageProperty value to an OPC UA LocalizedText Matrix');
  }
  const wanted = preferredLanguage?.toLowerCase();
  const chosen = langStrings.find((l) => l.language.toLowerCase() === wanted) ?? langStrings[0];
  return new Variant({ dataType: DataType.LocalizedText, arrayType, value: toText(chosen) });
}
