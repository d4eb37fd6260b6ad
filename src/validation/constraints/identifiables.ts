/**
 * The Identifiables a repository stores: AssetAdministrationShell, Submodel and ConceptDescription, with the
 * AdministrativeInformation they share (AASd-005) and the Submodel's kind rules (AASd-119, AASd-129).
 */
import { checkAssetInformation } from './asset-identification.js';
import { arrayOf, isObject, type ConstraintContext, type JsonObject } from './context.js';
import { checkConceptDescriptionDataSpecifications, checkEmbeddedDataSpecifications } from './data-specifications.js';
import { checkQualifiers, checkReferable, checkSemantics } from './inherited-attributes.js';
import { checkModelReferenceTo, checkReference } from './references.js';
import { checkNamespace } from './submodel-elements.js';

const SHELL: ReadonlySet<string> = new Set(['AssetAdministrationShell']);
const SUBMODEL: ReadonlySet<string> = new Set(['Submodel']);

export function checkAdministrativeInformation(ctx: ConstraintContext, administration: unknown): void {
  if (!isObject(administration)) return;
  if (administration.revision !== undefined && administration.version === undefined) {
    ctx.report('AASd-005: a revision requires a version', 'revision');
  }
  checkEmbeddedDataSpecifications(ctx, administration);
  if (administration.creator !== undefined) ctx.at('creator', () => checkReference(ctx, administration.creator));
}

/** Referable and Identifiable attributes common to the three. */
function checkIdentifiable(ctx: ConstraintContext, identifiable: JsonObject): void {
  checkReferable(ctx, identifiable);
  if (identifiable.administration !== undefined) {
    ctx.at('administration', () => checkAdministrativeInformation(ctx, identifiable.administration));
  }
  checkEmbeddedDataSpecifications(ctx, identifiable);
}

export function checkAssetAdministrationShell(ctx: ConstraintContext, shell: unknown): void {
  if (!isObject(shell)) return;
  checkIdentifiable(ctx, shell);
  if (shell.derivedFrom !== undefined) {
    ctx.at('derivedFrom', () => {
      checkReference(ctx, shell.derivedFrom);
      checkModelReferenceTo(ctx, shell.derivedFrom, SHELL, 'derivedFrom');
    });
  }
  if (shell.assetInformation !== undefined) ctx.at('assetInformation', () => checkAssetInformation(ctx, shell.assetInformation));
  const submodels = arrayOf(shell.submodels);
  if (submodels !== undefined) {
    ctx.at('submodels', () =>
      submodels.forEach((ref, i) =>
        ctx.at(i, () => {
          checkReference(ctx, ref);
          checkModelReferenceTo(ctx, ref, SUBMODEL, 'a submodel reference of a shell');
        }),
      ),
    );
  }
}

export function checkSubmodel(ctx: ConstraintContext, submodel: unknown): void {
  if (!isObject(submodel)) return;
  checkIdentifiable(ctx, submodel);
  checkSemantics(ctx, submodel);
  // HasKind: kind defaults to Instance.
  const isTemplate = submodel.kind === 'Template';
  if (checkQualifiers(ctx, submodel) && !isTemplate) {
    ctx.report('AASd-119: a submodel with a TemplateQualifier must have kind Template', 'qualifiers');
  }
  checkNamespace(ctx, submodel, 'submodelElements', { inTemplate: isTemplate });
}

export function checkConceptDescription(ctx: ConstraintContext, cd: unknown): void {
  if (!isObject(cd)) return;
  checkIdentifiable(ctx, cd);
  checkConceptDescriptionDataSpecifications(ctx, cd);
  const isCaseOf = arrayOf(cd.isCaseOf);
  if (isCaseOf !== undefined) ctx.at('isCaseOf', () => isCaseOf.forEach((ref, i) => ctx.at(i, () => checkReference(ctx, ref))));
}
