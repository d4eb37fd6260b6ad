/**
 * AssetAdministrationShellRepositoryServiceSpecification (Part 2): shells, their asset information and their
 * submodel references, and the superpath `/shells/{aas}/submodels/{sm}` onto the Submodel repository.
 */
import { BadRequest, Conflict, NotFound } from '../errors.js';
import { referencedSubmodelId, sameReference } from '../model/references.js';
import type { AssetAdministrationShell, AssetInformation, Reference } from '../model/types.js';
import type { Page, PageRequest, ShellFilter } from '../store/store.js';
import { IdentifiableRepository, type RepositoryDeps, type WriteResult } from './identifiable-repository.js';
import type { SubmodelRepository } from './submodel-repository.js';

export class ShellRepository extends IdentifiableRepository<AssetAdministrationShell, ShellFilter> {
  protected readonly kind = 'shells' as const;
  protected readonly className = 'AssetAdministrationShell' as const;
  protected readonly noun = 'Asset Administration Shell';

  constructor(deps: RepositoryDeps, private readonly submodels: SubmodelRepository) {
    super(deps);
  }

  protected get collection() {
    return this.deps.store.shells;
  }

  async getAssetInformation(aasId: string): Promise<AssetInformation> {
    return (await this.get(aasId)).assetInformation;
  }

  /** Replaces the asset information; the whole shell is validated again (constraints span both). */
  async putAssetInformation(aasId: string, body: unknown): Promise<WriteResult<AssetAdministrationShell>> {
    this.deps.validator.validate('AssetInformation', body);
    return this.lock.run(aasId, () =>
      this.optimistically(async () => {
        const { doc: shell, revision } = await this.getRevised(aasId);
        return this.update({ ...shell, assetInformation: body as AssetInformation }, revision);
      }),
    );
  }

  /**
   * Read-modify-write of the asset information under the shell's lock (the thumbnail attachment): `change` edits
   * a copy; the whole shell is validated and stored atomically. A `change` that throws stores nothing.
   */
  async editAssetInformation(aasId: string, change: (info: AssetInformation) => void): Promise<WriteResult<AssetAdministrationShell>> {
    return this.lock.run(aasId, () =>
      this.optimistically(async () => {
        const { doc: shell, revision } = await this.getRevised(aasId);
        const info = structuredClone(shell.assetInformation);
        change(info);
        return this.update({ ...shell, assetInformation: info }, revision);
      }),
    );
  }

  /** The shell's submodel references in document order; the page key is the position in that list. */
  async listSubmodelRefs(aasId: string, page: PageRequest): Promise<Page<Reference>> {
    const refs = (await this.get(aasId)).submodels ?? [];
    const start = page.after === undefined ? 0 : Number(page.after) + 1;
    if (!Number.isInteger(start) || start < 0) throw new BadRequest('cursor does not belong to this list');
    const items = refs.slice(start, start + page.limit);
    const last = start + items.length - 1;
    return { items, next: last < refs.length - 1 ? String(last) : undefined };
  }

  async addSubmodelRef(aasId: string, body: unknown): Promise<WriteResult<Reference>> {
    this.deps.validator.validate('Reference', body);
    const ref = body as Reference;
    return this.lock.run(aasId, () =>
      this.optimistically(async () => {
        const { doc: shell, revision } = await this.getRevised(aasId);
        const refs = shell.submodels ?? [];
        if (refs.some((r) => sameReference(r, ref))) {
          throw new Conflict(`Asset Administration Shell "${aasId}" already references this submodel`);
        }
        const result = await this.update({ ...shell, submodels: [...refs, ref] }, revision);
        return { doc: ref, created: true, warnings: result.warnings };
      }),
    );
  }

  async deleteSubmodelRef(aasId: string, submodelId: string): Promise<void> {
    await this.lock.run(aasId, () =>
      this.optimistically(async () => {
        const { doc: shell, revision } = await this.getRevised(aasId);
        const refs = shell.submodels ?? [];
        const kept = refs.filter((r) => referencedSubmodelId(r) !== submodelId);
        if (kept.length === refs.length) {
          throw new NotFound(`Asset Administration Shell "${aasId}" has no reference to submodel "${submodelId}"`);
        }
        await this.update(withSubmodels(shell, kept), revision);
      }),
    );
  }

  /** Deletes the submodel and the shell's reference to it, in one atomic write. */
  async deleteSubmodel(aasId: string, submodelId: string): Promise<void> {
    await this.lock.run(aasId, () =>
      this.optimistically(async () => {
        const { doc: shell, revision } = await this.getRevised(aasId);
        requireReference(shell, submodelId);
        await this.submodels.requireExists(submodelId);
        const kept = (shell.submodels ?? []).filter((r) => referencedSubmodelId(r) !== submodelId);
        await this.deps.store.write([
          { kind: 'submodels', op: 'delete', id: submodelId },
          { kind: 'shells', op: 'update', doc: withSubmodels(shell, kept), ifRevision: revision },
        ]);
      }),
    );
    this.deps.events.emit({ type: 'deleted', kind: 'submodels', id: submodelId });
    this.deps.events.emit({ type: 'updated', kind: 'shells', id: aasId });
  }

  /** The superpath's check: the shell exists and references the submodel, else 404. */
  async requireSubmodelRef(aasId: string, submodelId: string): Promise<AssetAdministrationShell> {
    const shell = await this.get(aasId);
    requireReference(shell, submodelId);
    return shell;
  }

  /** Validates and stores the shell, conditional on the revision it was read at. */
  private async update(shell: AssetAdministrationShell, revision: string): Promise<WriteResult<AssetAdministrationShell>> {
    const warnings = this.deps.validator.validate(this.className, shell);
    await this.commit([{ kind: 'shells', op: 'update', doc: shell, ifRevision: revision }], 'updated', shell.id);
    return { doc: shell, created: false, warnings };
  }
}

function requireReference(shell: AssetAdministrationShell, submodelId: string): void {
  if (!(shell.submodels ?? []).some((r) => referencedSubmodelId(r) === submodelId)) {
    throw new NotFound(`Asset Administration Shell "${shell.id}" does not reference submodel "${submodelId}"`);
  }
}

/** `submodels` is optional and, when present, must not be empty (Part 1: no empty lists), so drop it instead. */
function withSubmodels(shell: AssetAdministrationShell, refs: Reference[]): AssetAdministrationShell {
  const { submodels: _dropped, ...rest } = shell;
  return refs.length > 0 ? { ...rest, submodels: refs } : (rest as AssetAdministrationShell);
}
