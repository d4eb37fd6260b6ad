/**
 * Rules on lists of language-tagged strings (MultiLanguageNameType, MultiLanguageTextType, MLP values and the
 * IEC 61360 preferredName/shortName/definition): Part 1 requires each language at most once per list. Part 1
 * gives that rule no constraint id, so the messages carry none. Language tags are compared case-insensitively
 * (BCP 47 tags are case-insensitive: "en" and "EN" name the same language).
 */
import { arrayOf, isObject, quote, stringOf, type ConstraintContext, type JsonObject } from './context.js';

/** Reports each entry of `owner[field]` whose language already occurred earlier in that list. */
export function checkUniqueLanguages(ctx: ConstraintContext, owner: JsonObject, field: string): void {
  const list = arrayOf(owner[field]);
  if (list === undefined || list.length < 2) return;
  const seen = new Map<string, number>();
  list.forEach((entry, index) => {
    const language = isObject(entry) ? stringOf(entry.language) : undefined;
    if (language === undefined) return;
    const key = language.toLowerCase();
    const earlier = seen.get(key);
    if (earlier === undefined) seen.set(key, index);
    else ctx.report(`language ${quote(language)} occurs more than once in ${field} (first at index ${earlier})`, field, index, 'language');
  });
}

/** BCP 47 tags for English: the primary subtag `en`, in any case. */
const ENGLISH = /^en(?:-|$)/i;

/** Whether a lang-string list has an entry in English. */
export function hasEnglish(list: unknown): boolean {
  const entries = arrayOf(list);
  return entries !== undefined && entries.some((e) => isObject(e) && ENGLISH.test(stringOf(e.language) ?? ''));
}
