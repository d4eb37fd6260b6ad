/**
 * How assets are identified: AssetInformation (AASd-131 globalAssetId or a specificAssetId; AASd-116 the
 * reserved name "globalAssetId") and SpecificAssetId (AASd-133 externalSubjectId is an external reference).
 */
import { arrayOf, isObject, quote, stringOf, type ConstraintContext, type JsonObject } from './context.js';
import { checkSemantics } from './inherited-attributes.js';
import { checkReference } from './references.js';

export function checkSpecificAssetId(ctx: ConstraintContext, specificAssetId: unknown): void {
  if (!isObject(specificAssetId)) return;
  checkSemantics(ctx, specificAssetId);
  const external = specificAssetId.externalSubjectId;
  if (external === undefined) return;
  if (isObject(external) && external.type !== 'ExternalReference') {
    ctx.report('AASd-133: externalSubjectId must be an ExternalReference', 'externalSubjectId', 'type');
  }
  ctx.at('externalSubjectId', () => checkReference(ctx, external));
}

/** Each entry of `owner.specificAssetIds` (AssetInformation, Entity). */
export function checkSpecificAssetIds(ctx: ConstraintContext, owner: JsonObject): void {
  const list = arrayOf(owner.specificAssetIds);
  if (list === undefined) return;
  ctx.at('specificAssetIds', () => list.forEach((id, i) => ctx.at(i, () => checkSpecificAssetId(ctx, id))));
}

export function checkAssetInformation(ctx: ConstraintContext, info: unknown): void {
  if (!isObject(info)) return;
  const globalAssetId = stringOf(info.globalAssetId);
  const specificAssetIds = arrayOf(info.specificAssetIds);
  if (globalAssetId === undefined && (specificAssetIds === undefined || specificAssetIds.length === 0)) {
    ctx.report('AASd-131: either globalAssetId or at least one specificAssetId must be set');
  }
  specificAssetIds?.forEach((id, i) => {
    if (!isObject(id) || id.name !== 'globalAssetId') return;
    if (globalAssetId === undefined || id.value !== globalAssetId) {
      ctx.report(
        `AASd-116: the specificAssetId named "globalAssetId" must have the globalAssetId as value (${globalAssetId === undefined ? 'no globalAssetId is set' : `expected ${quote(globalAssetId)}`})`,
        'specificAssetIds', i, 'value',
      );
    }
  });
  checkSpecificAssetIds(ctx, info);
}
