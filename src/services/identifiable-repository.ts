/**
 * What the AAS, Submodel and Concept Description repositories share: CRUD of one kind of Identifiable with
 * validation on every write and an event after it. No HTTP types in here.
 */
import { BadRequest, NotFound } from '../errors.js';
import type { EventBus } from '../events/bus.js';
import type { IdentifiableKind } from '../model/types.js';
import type { AasStore, IdentifiableCollection, Page, PageRequest, WriteOp } from '../store/store.js';
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
