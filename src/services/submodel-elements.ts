/**
 * The Submodel Service's element operations (Part 2): read, create, replace, patch and delete elements by
 * idShortPath. Every write is one `SubmodelRepository.edit` (locked, validated as a whole submodel, atomic), but
 * PATCH $value, which edits one top-level element (`editTopLevelElement`, see `patchValue`).
 */
import { BadRequest, Conflict, NotFound } from '../errors.js';
import { appendChild, childElements, locateElement, type ElementSlot } from '../model/element-tree.js';
import { formatIdShortPath, parseIdShortPath, type PathSegment } from '../model/id-short-path.js';
import type { LangStringTextType, Submodel, SubmodelElement } from '../model/types.js';
import { applyElementValueOnly, applySubmodelValueOnly } from '../model/value-only/index.js';
import type { Page, PageRequest } from '../store/store.js';
import { isValidXsdValue } from '../validation/constraints/index.js';
import type { ValidationIssue } from '../validation/issues.js';
import type { Validator } from '../validation/validator.js';
import type { SubmodelRepository } from './submodel-repository.js';

/** An element and its idShortPath. */
export interface PathedElement {
  element: SubmodelElement;
  path: string;
}

export interface ElementWrite {
  element: SubmodelElement;
  path: string;
  created: boolean;
  warnings: ValidationIssue[];
}

/** A value the asset reported for the Property or MultiLanguageProperty at `path`. */
export interface AssetValue {
  path: string;
  /** A Property's value (lexical form of its valueType) or a MultiLanguageProperty's language strings. */
  value: string | LangStringTextType[];
}

/** `stored` also when the value equalled the stored one (nothing to write); `error` says why it was not. */
export interface AssetValueOutcome {
  stored: boolean;
  error?: string;
}

export class SubmodelElementService {
  constructor(
    private readonly submodels: SubmodelRepository,
    private readonly validator: Validator,
  ) {}

  /** The top-level elements in document order; the page key is the position. */
  async list(submodelId: string, page: PageRequest): Promise<Page<PathedElement>> {
    const elements = (await this.submodels.get(submodelId)).submodelElements ?? [];
    const start = page.after === undefined ? 0 : Number(page.after) + 1;
    if (!Number.isInteger(start) || start < 0) throw new BadRequest('cursor does not belong to this list');
    const items = elements.slice(start, start + page.limit).map((element) => ({ element, path: element.idShort ?? '' }));
    const last = start + items.length - 1;
    return { items, next: last < elements.length - 1 ? String(last) : undefined };
  }

  async get(submodelId: string, path: string): Promise<ElementSlot> {
    return locateElement(await this.submodels.get(submodelId), path);
  }

  /**
   * Adds `body` as a child of the element at `parentPath`, or as a top-level element without one; appended to a
   * list. 409 when the parent already has a child with that idShort.
   */
  async create(submodelId: string, parentPath: string | undefined, body: unknown): Promise<ElementWrite> {
    const element = this.validateElement(body);
    const { result, warnings } = await this.submodels.edit(submodelId, (submodel) => {
      const parentSegments = parentPath === undefined ? [] : parseIdShortPath(parentPath);
      const parent = parentSegments.length === 0 ? submodel : locateElement(submodel, parentSegments).element;
      const isList = (parent as { modelType?: string }).modelType === 'SubmodelElementList';
      const siblings = parent === submodel ? submodel.submodelElements ?? [] : childElements(parent as SubmodelElement);
      if (!isList && element.idShort !== undefined && siblings.some((s) => s.idShort === element.idShort)) {
        throw new Conflict(`An element with idShort "${element.idShort}" already exists at ${parentPath ?? 'the top level'}`);
      }
      const last: PathSegment = isList ? { index: siblings.length } : { idShort: element.idShort ?? '' };
      appendChild(parent, element);
      return formatIdShortPath([...parentSegments, last]);
    });
    return { element, path: result, created: true, warnings };
  }

  /**
   * Replaces the element at `path` (204), or creates it when its parent exists and the last segment names an idShort
   * that is not there yet (201). The body's idShort must match the path's last segment.
   */
  async put(submodelId: string, path: string, body: unknown): Promise<ElementWrite> {
    const element = this.validateElement(body);
    const segments = parseIdShortPath(path);
    const last = segments[segments.length - 1];
    if ('idShort' in last && element.idShort !== last.idShort) {
      throw new BadRequest(`The idShort in the body ("${element.idShort ?? ''}") differs from the path's last segment ("${last.idShort}")`, [
        { path: '$.idShort', text: `$.idShort: differs from "${last.idShort}" in the path` },
      ]);
    }
    const { result: created, warnings } = await this.submodels.edit(submodelId, (submodel) => {
      try {
        locateElement(submodel, segments).replace(element);
        return false;
      } catch (e) {
        if (!(e instanceof NotFound) || !('idShort' in last)) throw e;
        const parent = segments.length === 1 ? submodel : locateElement(submodel, segments.slice(0, -1)).element;
        appendChild(parent, element);
        return true;
      }
    });
    return { element, path, created, warnings };
  }

  /**
   * Applies `change` to the element at `path` and puts the result in its place; the element type must stay the
   * same (400 otherwise). Used by PATCH in Normal, $metadata and $value form.
   */
  async patch(submodelId: string, path: string, change: (current: SubmodelElement) => SubmodelElement): Promise<ElementWrite> {
    const { result, warnings } = await this.submodels.edit(submodelId, (submodel) => {
      const slot = locateElement(submodel, path);
      const next = change(slot.element);
      if (next.modelType !== slot.element.modelType) {
        throw new BadRequest(`PATCH cannot change the element type (${slot.element.modelType} to ${String(next.modelType)})`);
      }
      slot.replace(next);
      return next;
    });
    return { element: result, path, created: false, warnings };
  }

  /**
   * PATCH …/$value: applies the ValueOnly `value` to the element at `path`, reading and writing only the top-level
   * element that holds it (a large submodel is not rewritten). `check` sees the current target first (modifiers).
   *
   * Validating the changed element on its own is enough: a ValueOnly patch changes values only (Property value,
   * Range min/max, language strings, references, ...), never an idShort, a modelType, the number or order of
   * children, a qualifier or a kind. So the constraints that span more than the element (idShort uniqueness among
   * siblings, AASd-107/108/109 on list items, AASd-119/129 template qualifiers against the submodel's kind) hold
   * after the patch exactly as they held before it; everything the patch can change is checked here.
   */
  async patchValue(submodelId: string, path: string, value: unknown, check: (current: SubmodelElement) => void = () => {}): Promise<ElementWrite> {
    const segments = parseIdShortPath(path);
    const first = segments[0];
    if (first === undefined || !('idShort' in first)) throw new BadRequest(`An idShortPath must start with an idShort: ${path}`);
    let warnings: ValidationIssue[] = [];
    let changed: SubmodelElement | undefined;
    await this.submodels.editTopLevelElement(submodelId, first.idShort, (top) => {
      // A one-element submodel lets locateElement resolve the rest of the path (and its 404s) as usual.
      const wrapper = { modelType: 'Submodel', id: submodelId, submodelElements: [top] } as Submodel;
      const slot = locateElement(wrapper, segments);
      check(slot.element);
      const next = applyElementValueOnly(slot.element, value);
      if (next.modelType !== slot.element.modelType) {
        throw new BadRequest(`PATCH cannot change the element type (${slot.element.modelType} to ${String(next.modelType)})`);
      }
      warnings = this.validator.validate('SubmodelElement', next);
      slot.replace(next);
      changed = next;
      return wrapper.submodelElements![0];
    });
    return { element: changed!, path, created: false, warnings };
  }

  /**
   * Values reported by the asset (OPC UA subscriptions and reads), stored on a fast path: the top-level elements
   * holding the targets are read and written in one batch, without the value write gate (the value comes from
   * the device) and with one check per value, against the target's type: a Property's value must be valid for
   * its valueType, a MultiLanguageProperty's must be language strings. Values equal to the stored ones are not
   * written. A target that is missing or does not take the value fails alone; the others are stored.
   */
  async applyAssetValues(submodelId: string, updates: readonly AssetValue[]): Promise<AssetValueOutcome[]> {
    const outcomes: AssetValueOutcome[] = updates.map(() => ({ stored: false }));
    const byTop = new Map<string, number[]>();
    updates.forEach((update, i) => {
      try {
        const first = parseIdShortPath(update.path)[0];
        if (first === undefined || !('idShort' in first)) throw new BadRequest(`An idShortPath must start with an idShort: ${update.path}`);
        byTop.set(first.idShort, [...(byTop.get(first.idShort) ?? []), i]);
      } catch (e) {
        outcomes[i] = { stored: false, error: (e as Error).message };
      }
    });
    await this.submodels.editTopLevelElements(submodelId, [...byTop.keys()], 'asset', (found) => {
      const changed: SubmodelElement[] = [];
      for (const [idShort, indexes] of byTop) {
        const top = found.get(idShort);
        let touched = false;
        for (const i of indexes) {
          if (top === undefined) {
            outcomes[i] = { stored: false, error: `No submodel element at ${updates[i].path}` };
            continue;
          }
          try {
            touched = setAssetValue(wrapTop(submodelId, top), updates[i]) || touched;
            outcomes[i] = { stored: true };
          } catch (e) {
            outcomes[i] = { stored: false, error: (e as Error).message };
          }
        }
        if (touched && top !== undefined) changed.push(top);
      }
      return changed;
    });
    return outcomes;
  }

  async delete(submodelId: string, path: string): Promise<void> {
    await this.submodels.edit(submodelId, (submodel) => locateElement(submodel, path).remove());
  }

  /** PATCH of the submodel's `$value`: values of existing elements only (applySubmodelValueOnly). */
  patchSubmodelValue(submodelId: string, value: unknown): Promise<ValidationIssue[]> {
    return this.patchSubmodel(submodelId, (current) => applySubmodelValueOnly(current, value), { valuesOnly: true });
  }

  /** Applies `change` to the whole submodel (PATCH of the submodel root in any form); the id cannot change. */
  async patchSubmodel(submodelId: string, change: (current: Submodel) => Submodel, options: { valuesOnly?: boolean } = {}): Promise<ValidationIssue[]> {
    const { warnings } = await this.submodels.edit(submodelId, (submodel) => {
      const next = change(structuredClone(submodel));
      if (typeof next !== 'object' || next === null || Array.isArray(next)) throw new BadRequest('The body must be a Submodel object');
      if (next.id !== submodel.id) throw new BadRequest(`PATCH cannot change the submodel's id ("${submodel.id}")`);
      for (const key of Object.keys(submodel)) delete (submodel as Record<string, unknown>)[key];
      Object.assign(submodel, next);
    }, options);
    return warnings;
  }

  /** Schema and constraints of the element on its own, so messages point into the body (`$.value[2]`). */
  private validateElement(body: unknown): SubmodelElement {
    this.validator.validate('SubmodelElement', body);
    return body as SubmodelElement;
  }
}

function wrapTop(submodelId: string, top: SubmodelElement): Submodel {
  return { modelType: 'Submodel', id: submodelId, submodelElements: [top] } as Submodel;
}

/** Puts an asset value into its element (inside `holder`); false when it equals the stored value. */
function setAssetValue(holder: Submodel, update: AssetValue): boolean {
  const element = locateElement(holder, update.path).element as { modelType: string; valueType?: string; value?: unknown };
  if (element.modelType === 'Property') {
    if (typeof update.value !== 'string') throw new BadRequest(`${update.path} is a Property: its value must be a string`);
    if (!isValidXsdValue(element.valueType ?? '', update.value)) {
      throw new BadRequest(`${JSON.stringify(update.value)} is not a valid ${element.valueType ?? ''} value for ${update.path}`);
    }
    if (element.value === update.value) return false;
    element.value = update.value;
    return true;
  }
  if (element.modelType === 'MultiLanguageProperty') {
    if (!Array.isArray(update.value)) throw new BadRequest(`${update.path} is a MultiLanguageProperty: its value must be language strings`);
    if (JSON.stringify(element.value) === JSON.stringify(update.value)) return false;
    element.value = update.value.map((l) => ({ language: l.language, text: l.text }));
    return true;
  }
  throw new BadRequest(`${update.path} is a ${element.modelType}; only a Property or MultiLanguageProperty takes values from an asset`);
}
