/**
 * Reference constraints AASd-121 … AASd-128 (Part 1 V3.1 §Reference), checked on every Reference wherever it
 * occurs, and the "must be a model reference to …" rules some attributes carry. Paths point at the offending
 * key (`…keys[1].type`), or at the reference itself when the whole reference is wrong.
 */
import { arrayOf, isObject, quote, stringOf, type ConstraintContext, type JsonObject } from './context.js';
import {
  AAS_IDENTIFIABLES,
  FRAGMENT_KEYS,
  GENERIC_FRAGMENT_KEYS,
  GENERIC_GLOBALLY_IDENTIFIABLES,
  GLOBALLY_IDENTIFIABLES,
  listKeyTypes,
} from './key-types.js';

/** A position in a SubmodelElementList: a non-negative integer (zero may carry a sign, as in XSD). */
const LIST_INDEX = /^(?:\+?\d+|-0+)$/;

/** The key types of `ref`, or undefined if the keys are not all well-formed (that is the schema's to say). */
function keyTypesOf(keys: readonly unknown[]): string[] | undefined {
  const types: string[] = [];
  for (const key of keys) {
    const type = isObject(key) ? stringOf(key.type) : undefined;
    if (type === undefined) return undefined;
    types.push(type);
  }
  return types;
}

/** Checks the Reference at the current path (and its referredSemanticId). */
export function checkReference(ctx: ConstraintContext, ref: unknown): void {
  if (!isObject(ref)) return;
  const keys = arrayOf(ref.keys);
  const types = keys === undefined ? undefined : keyTypesOf(keys);
  if (keys !== undefined && types !== undefined && types.length > 0) checkKeyChain(ctx, ref, keys, types);
  if (ref.referredSemanticId !== undefined) ctx.at('referredSemanticId', () => checkReference(ctx, ref.referredSemanticId));
}

function checkKeyChain(ctx: ConstraintContext, ref: JsonObject, keys: readonly unknown[], types: string[]): void {
  const isModel = ref.type === 'ModelReference';
  const isExternal = ref.type === 'ExternalReference';
  const first = types[0];
  const last = types.length - 1;

  if (!GLOBALLY_IDENTIFIABLES.has(first)) {
    ctx.report(
      `AASd-121: the first key of a reference must be one of GloballyIdentifiables (${listKeyTypes(GLOBALLY_IDENTIFIABLES)}), not ${quote(first)}`,
      'keys', 0, 'type',
    );
  }
  if (isExternal && !GENERIC_GLOBALLY_IDENTIFIABLES.has(first)) {
    ctx.report(
      `AASd-122: the first key of an external reference must be one of GenericGloballyIdentifiables (${listKeyTypes(GENERIC_GLOBALLY_IDENTIFIABLES)}), not ${quote(first)}`,
      'keys', 0, 'type',
    );
  }
  if (isModel && !AAS_IDENTIFIABLES.has(first)) {
    ctx.report(
      `AASd-123: the first key of a model reference must be one of AasIdentifiables (${listKeyTypes(AAS_IDENTIFIABLES)}), not ${quote(first)}`,
      'keys', 0, 'type',
    );
  }
  if (isExternal && !GENERIC_GLOBALLY_IDENTIFIABLES.has(types[last]) && !GENERIC_FRAGMENT_KEYS.has(types[last])) {
    ctx.report(
      `AASd-124: the last key of an external reference must be one of GenericGloballyIdentifiables or GenericFragmentKeys (GlobalReference, FragmentReference), not ${quote(types[last])}`,
      'keys', last, 'type',
    );
  }
  if (!isModel || types.length < 2) return;

  for (let i = 1; i < types.length; i++) {
    if (!FRAGMENT_KEYS.has(types[i])) {
      ctx.report(
        `AASd-125: every key after the first of a model reference must be one of FragmentKeys (FragmentReference or a submodel element type), not ${quote(types[i])}`,
        'keys', i, 'type',
      );
    }
  }
  for (let i = 0; i < last; i++) {
    if (GENERIC_FRAGMENT_KEYS.has(types[i])) {
      ctx.report(
        `AASd-126: in a model reference only the last key may be one of GenericFragmentKeys (FragmentReference), but key ${i} of ${types.length} is`,
        'keys', i, 'type',
      );
    }
  }
  if (types[last] === 'FragmentReference' && types[last - 1] !== 'File' && types[last - 1] !== 'Blob') {
    ctx.report(
      `AASd-127: a FragmentReference key in a model reference must follow a File or Blob key, not ${quote(types[last - 1])}`,
      'keys', last, 'type',
    );
  }
  for (let i = 0; i < last; i++) {
    if (types[i] !== 'SubmodelElementList') continue;
    const next = keys[i + 1];
    const value = isObject(next) ? stringOf(next.value) : undefined;
    if (value !== undefined && !LIST_INDEX.test(value)) {
      ctx.report(
        `AASd-128: the key after a SubmodelElementList key must be the position in the list (a non-negative integer), not ${quote(value)}`,
        'keys', i + 1, 'value',
      );
    }
  }
}

/**
 * Rules of the form "X must be a model reference to one of `targets`" (e.g. AssetAdministrationShell.submodels,
 * BasicEventElement.observed): checked on the type of the reference and of its last key.
 */
export function checkModelReferenceTo(
  ctx: ConstraintContext,
  ref: unknown,
  targets: ReadonlySet<string>,
  what: string,
): void {
  if (!isObject(ref)) return;
  const keys = arrayOf(ref.keys);
  const lastKey = keys !== undefined && keys.length > 0 ? keys[keys.length - 1] : undefined;
  const lastType = isObject(lastKey) ? stringOf(lastKey.type) : undefined;
  if (ref.type !== 'ModelReference' || lastType === undefined || !targets.has(lastType)) {
    ctx.report(`${what} must be a model reference to ${targets.size === 1 ? '' : 'one of '}${listKeyTypes(targets)}`);
  }
}
