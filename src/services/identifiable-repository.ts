/**
 * What the AAS, Submodel and Concept Description repositories share: CRUD of one kind of Identifiable with
 * validation on every write and an event after it. No HTTP types in here.
 */
import { BadRequest, Conflict, NotFound, StaleRevision } from '../errors.js';
import type { EventBus } from '../events/bus.js';
import type { IdentifiableKind } from '../model/types.js';
import type { AasStore, IdentifiableCollection, Page, PageRequest, Revised, WriteOp } from '../store/store.js';
import type { ValidationIssue } from '../validation/issues.js';
import type { ValidationClass } from '../validation/schema-check.js';
import type { Validator } from '../validation/validator.js';
import { KeyedLock } from './keyed-lock.js';

/** The result of a write: whether it created the document, and constraint warnings tolerated in lenient mode. */
export interface WriteResult<T> {
  doc: T;
  created: boolean;
  warnings: ValidationIssue[];
}

/** Attempts of a read-modify-write whose conditional write keeps finding the document changed meanwhile. */
const MAX_ATTEMPTS = 5;

export interface RepositoryDeps {
  store: AasStore;
  validator: Validator;
  events: EventBus;
}

export abstract class IdentifiableRepository<T extends { id: string }, F> {
  /** Writes to one id run one after another, so read-modify-write operations see each other's results. */
  protected readonly lock = new KeyedLock();

  protected abstract readonly kind: IdentifiableKind;
  protected abstract readonly className: ValidationClass & ('AssetAdministrationShell' | 'Submodel' | 'ConceptDescription');
  /** Used in messages, e.g. "Submodel". */
  protected abstract readonly noun: string;

  constructor(protected readonly deps: RepositoryDeps) {}

  protected abstract get collection(): IdentifiableCollection<T, F>;

  list(filter: F, page: PageRequest): Promise<Page<T>> {
    return this.collection.list(filter, page);
  }

  async get(id: string): Promise<T> {
    const doc = await this.collection.get(id);
    if (!doc) throw new NotFound(`${this.noun} "${id}" not found`);
    return doc;
  }

  /** `get` with the document's revision, for a read-modify-write (see `optimistically`). */
  protected async getRevised(id: string): Promise<Revised<T>> {
    const read = await this.collection.getRevised(id);
    if (!read) throw new NotFound(`${this.noun} "${id}" not found`);
    return read;
  }

  /**
   * Runs a read-modify-write whose write is conditional on the revision it read, again (reading anew) when another
   * writer got in between: the in-process lock orders this process's writers, the revision those of other server
   * instances on the same store. 409 when the document keeps changing under it.
   */
  protected async optimistically<R>(attempt: () => Promise<R>): Promise<R> {
    for (let n = 1; ; n++) {
      try {
        return await attempt();
      } catch (e) {
        if (!(e instanceof StaleRevision)) throw e;
        if (n >= MAX_ATTEMPTS) throw new Conflict(`${this.noun} was changed by other writers ${n} times while this change was applied; retry`);
      }
    }
  }

  /** The id, when a document with it exists; 404 otherwise. */
  async requireExists(id: string): Promise<string> {
    if (!(await this.collection.has(id))) throw new NotFound(`${this.noun} "${id}" not found`);
    return id;
  }

  /** The document as stored JSON text (see IdentifiableCollection.getJson), for reads that pass it through. */
  async getJson(id: string): Promise<string> {
    const json = await this.collection.getJson(id);
    if (json === undefined) throw new NotFound(`${this.noun} "${id}" not found`);
    return json;
  }

  listJson(filter: F, page: PageRequest): Promise<Page<string>> {
    return this.collection.listJson(filter, page);
  }

  /** A list page as ids only (`$reference` lists): no document is read. */
  listIds(filter: F, page: PageRequest): Promise<Page<string>> {
    return this.collection.listIds(filter, page);
  }

  async create(body: unknown): Promise<WriteResult<T>> {
    const warnings = this.deps.validator.validate(this.className, body);
    const doc = body as T;
    // The store refuses an existing id atomically (Conflict), so there is no separate existence check to race.
    await this.commit([this.op('create', doc)], 'created', doc.id);
    return { doc, created: true, warnings };
  }

  /** Replaces the document, or creates it when there is none (Part 2 3.1: PUT may create, 201). */
  async put(id: string, body: unknown): Promise<WriteResult<T>> {
    const warnings = this.deps.validator.validate(this.className, body);
    const doc = body as T;
    if (doc.id !== id) {
      throw new BadRequest(`The id in the body ("${doc.id}") differs from the id in the path ("${id}")`, [
        { path: '$.id', text: `$.id: "${doc.id}" differs from the id in the path` },
      ]);
    }
    const [outcome] = await this.lock.run(id, () => this.commit([this.op('upsert', doc)], undefined, id));
    return { doc, created: outcome === 'created', warnings };
  }

  async delete(id: string): Promise<void> {
    const [outcome] = await this.lock.run(id, () => this.deps.store.write([{ kind: this.kind, op: 'delete', id }]));
    if (outcome === 'absent') throw new NotFound(`${this.noun} "${id}" not found`);
    this.deps.events.emit({ type: 'deleted', kind: this.kind, id });
  }

  protected op(op: 'create' | 'update' | 'upsert', doc: T): WriteOp {
    return { kind: this.kind, op, doc } as WriteOp;
  }

  /** Writes and emits one event per written document of this kind. */
  protected async commit(ops: WriteOp[], type: 'created' | 'updated' | undefined, id: string, valuesOnly = false) {
    const outcomes = await this.deps.store.write(ops);
    const first = outcomes[0];
    const event = { type: type ?? (first === 'created' ? 'created' : 'updated'), kind: this.kind, id } as const;
    this.deps.events.emit(valuesOnly ? { ...event, valuesOnly } : event);
    return outcomes;
  }
}
