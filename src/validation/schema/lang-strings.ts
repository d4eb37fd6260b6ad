/**
 * Language-tagged strings (Part 1 v3.1 §5.3.11.3). The five classes differ only in the maximum text length; each
 * gets its own `$defs` entry because the serialization (and the aas-core test data) treats them as classes.
 */
import { Type } from '@sinclair/typebox';
import { closed, LanguageTag } from './primitives.js';
import { xmlCharacters } from './patterns.js';

function langString(maxLength: number, description: string) {
  return Type.Object(
    {
      language: LanguageTag,
      text: Type.String({ minLength: 1, maxLength, pattern: xmlCharacters }),
    },
    { ...closed, description },
  );
}

export const langStringDefinitions = {
  LangStringNameType: langString(128, 'A display name in one language.'),
  LangStringTextType: langString(1023, 'A description or text value in one language.'),
  LangStringPreferredNameTypeIec61360: langString(255, 'An IEC 61360 preferred name in one language.'),
  LangStringShortNameTypeIec61360: langString(18, 'An IEC 61360 short name in one language.'),
  LangStringDefinitionTypeIec61360: langString(1023, 'An IEC 61360 definition in one language.'),
};
