/**
 * The Submodel API's element routes and the submodel-root modifiers ($value, $path, PATCH forms), written once
 * for both doors (see submodel-api.ts). Modifier rules (which content an element supports, forbidden
 * combinations) come from `checkModifiers`; ValueOnly from src/model/value-only.
 */
import { BadRequest } from '../../errors.js';
import { elementMetadata, elementPaths, elementReference, submodelPaths, applyElementModifiers } from '../../model/element-projections.js';
import { submodelMetadata, type Content, type ContentModifiers } from '../../model/modifiers.js';
import { mergeNormalPatch } from '../../model/normal-patch.js';
import { toPagedResult } from '../../model/paging.js';
import type { Submodel, SubmodelElement } from '../../model/types.js';
import { elementToValueOnly, submodelToValueOnly } from '../../model/value-only/index.js';
import type { ApiRequest } from '../api-request.js';
import { modifiersOf, pageOf } from '../query.js';
import { noContent, ok, withWarnings, written, type Route, type Services } from '../route.js';
import type { SubmodelDoor } from './submodel-api.js';

const SUBMODEL = { modelType: 'Submodel' };


const idShortPath = (req: ApiRequest) => String(req.params.idShortPath);

/**
 * PATCH …/$metadata: the body carries the metadata fields, which replace the target's; its value fields (those
 * the class's $metadata leaves out, whether or not the target has them now) stay as they are.
 */
function withMetadata<T extends object>(current: T, body: unknown, metadataOf: (x: T) => object): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequest('The $metadata body must be a JSON object');
  const allowed = metadataOf(body as T);
  const stray = Object.keys(body).filter((k) => !(k in allowed));
  if (stray.length > 0) throw new BadRequest(`A $metadata body cannot set ${stray.join(', ')}; use $value or the Normal form`);
  const kept = metadataOf(current);
  const valueFields = Object.fromEntries(Object.entries(current).filter(([k]) => !(k in kept)));
  return { ...(body as T), ...valueFields };
}

export function elementRoutes(door: SubmodelDoor, location: (req: ApiRequest, s: Services) => string): Route[] {
  const id = (req: ApiRequest, s: Services) => door.submodelId(req, s);
  const read = async (req: ApiRequest, s: Services) => s.elements.get(await id(req, s), idShortPath(req));
  const EL = `${door.root}/submodel-elements`;
  const elementLocation = (req: ApiRequest, s: Services, path: string) => `${location(req, s)}/submodel-elements/${encodeURIComponent(path)}`;

  const listed = (content: Content, map: (e: SubmodelElement, path: string, sm: string, m: ContentModifiers) => unknown[]) => ({
    method: 'GET' as const,
    path: content === 'normal' ? EL : `${EL}/${content}`,
    async handle(req: ApiRequest, s: Services) {
      const m = modifiersOf(req, SUBMODEL, 'GET', content);
      const smId = await id(req, s);
      const page = await s.elements.list(smId, pageOf(req, s));
      const result = toPagedResult(page, (item) => map(item.element, item.path, smId, m));
      return ok({ ...result, result: result.result.flat() });
    },
  });

  return [
    // The submodel root in its other forms.
    {
      method: 'PATCH',
      path: door.root,
      jsonBody: true,
      async handle(req, s) {
        modifiersOf(req, SUBMODEL, 'PATCH', 'normal');
        return withWarnings(noContent(), await s.elements.patchSubmodel(await id(req, s), (current) => mergeNormalPatch(current, req.body)));
      },
    },
    {
      method: 'GET',
      path: `${door.root}/$value`,
      async handle(req, s) {
        const m = modifiersOf(req, SUBMODEL, 'GET', '$value');
        return ok(submodelToValueOnly(await s.submodels.get(await id(req, s)), m));
      },
    },
    {
      method: 'PATCH',
      path: `${door.root}/$value`,
      jsonBody: true,
      async handle(req, s) {
        modifiersOf(req, SUBMODEL, 'PATCH', '$value');
        const warnings = await s.elements.patchSubmodelValue(await id(req, s), req.body);
        return withWarnings(noContent(), warnings);
      },
    },
    {
      method: 'PATCH',
      path: `${door.root}/$metadata`,
      jsonBody: true,
      async handle(req, s) {
        modifiersOf(req, SUBMODEL, 'PATCH', '$metadata');
        const warnings = await s.elements.patchSubmodel(await id(req, s), (current) => withMetadata(current, req.body, (sm) => submodelMetadata(sm as Submodel)));
        return withWarnings(noContent(), warnings);
      },
    },
    {
      method: 'GET',
      path: `${door.root}/$path`,
      async handle(req, s) {
        const m = modifiersOf(req, SUBMODEL, 'GET', '$path');
        return ok(submodelPaths(await s.submodels.get(await id(req, s)), m.level));
      },
    },

    // All elements, paged over the top level.
    listed('normal', (e, _p, _sm, m) => [applyElementModifiers(e, m)]),
    listed('$metadata', (e) => [elementMetadata(e)]),
    listed('$value', (e, path, _sm, m) => {
      const value = elementToValueOnly(e, m);
      return value === undefined ? [] : [{ [path]: value }];
    }),
    listed('$reference', (e, _p, smId) => [elementReference(smId, [{ segment: { idShort: e.idShort ?? '' }, element: e }])]),
    listed('$path', (e, path, _sm, m) => elementPaths(e, path, m.level)),
    {
      method: 'POST',
      path: EL,
      jsonBody: true,
      async handle(req, s) {
        modifiersOf(req, SUBMODEL, 'POST', 'normal');
        const w = await s.elements.create(await id(req, s), undefined, req.body);
        return written({ doc: w.element, created: true, warnings: w.warnings }, elementLocation(req, s, w.path));
      },
    },

    // One element.
    {
      method: 'GET',
      path: `${EL}/{idShortPath}`,
      async handle(req, s) {
        const slot = await read(req, s);
        return ok(applyElementModifiers(slot.element, modifiersOf(req, slot.element, 'GET', 'normal')));
      },
    },
    {
      method: 'POST',
      path: `${EL}/{idShortPath}`,
      jsonBody: true,
      async handle(req, s) {
        modifiersOf(req, SUBMODEL, 'POST', 'normal');
        const w = await s.elements.create(await id(req, s), idShortPath(req), req.body);
        return written({ doc: w.element, created: true, warnings: w.warnings }, elementLocation(req, s, w.path));
      },
    },
    {
      method: 'PUT',
      path: `${EL}/{idShortPath}`,
      jsonBody: true,
      async handle(req, s) {
        modifiersOf(req, (req.body ?? {}) as { modelType: string }, 'PUT', 'normal');
        const w = await s.elements.put(await id(req, s), idShortPath(req), req.body);
        return written({ doc: w.element, created: w.created, warnings: w.warnings }, elementLocation(req, s, w.path));
      },
    },
    {
      method: 'PATCH',
      path: `${EL}/{idShortPath}`,
      jsonBody: true,
      async handle(req, s) {
        const w = await s.elements.patch(await id(req, s), idShortPath(req), (current) => {
          modifiersOf(req, current, 'PATCH', 'normal');
          if ((req.body as SubmodelElement | null)?.idShort !== current.idShort) throw new BadRequest('PATCH cannot change the idShort');
          return mergeNormalPatch(current, req.body);
        });
        return withWarnings(noContent(), w.warnings);
      },
    },
    {
      method: 'DELETE',
      path: `${EL}/{idShortPath}`,
      async handle(req, s) {
        await s.elements.delete(await id(req, s), idShortPath(req));
        return noContent();
      },
    },
    {
      method: 'GET',
      path: `${EL}/{idShortPath}/$metadata`,
      async handle(req, s) {
        const slot = await read(req, s);
        modifiersOf(req, slot.element, 'GET', '$metadata');
        return ok(elementMetadata(slot.element));
      },
    },
    {
      method: 'PATCH',
      path: `${EL}/{idShortPath}/$metadata`,
      jsonBody: true,
      async handle(req, s) {
        const w = await s.elements.patch(await id(req, s), idShortPath(req), (current) => {
          modifiersOf(req, current, 'PATCH', '$metadata');
          return withMetadata(current, req.body, elementMetadata);
        });
        return withWarnings(noContent(), w.warnings);
      },
    },
    {
      method: 'GET',
      path: `${EL}/{idShortPath}/$value`,
      async handle(req, s) {
        const slot = await read(req, s);
        const value = elementToValueOnly(slot.element, modifiersOf(req, slot.element, 'GET', '$value'));
        return ok(value ?? null);
      },
    },
    {
      method: 'PATCH',
      path: `${EL}/{idShortPath}/$value`,
      jsonBody: true,
      async handle(req, s) {
        // One top-level element is read and written, not the whole submodel (SubmodelElementService.patchValue).
        const w = await s.elements.patchValue(await id(req, s), idShortPath(req), req.body, (current) => {
          modifiersOf(req, current, 'PATCH', '$value');
        });
        return withWarnings(noContent(), w.warnings);
      },
    },
    {
      method: 'GET',
      path: `${EL}/{idShortPath}/$reference`,
      async handle(req, s) {
        const slot = await read(req, s);
        modifiersOf(req, slot.element, 'GET', '$reference');
        return ok(elementReference(await id(req, s), slot.lineage));
      },
    },
    {
      method: 'GET',
      path: `${EL}/{idShortPath}/$path`,
      async handle(req, s) {
        const slot = await read(req, s);
        const m = modifiersOf(req, slot.element, 'GET', '$path');
        return ok(elementPaths(slot.element, idShortPath(req), m.level));
      },
    },
  ];
}
