/**
 * Domain events of the repositories. Services emit after a write is durable; subscribers (MQTT, SSE, history,
 * OPC UA write-back bookkeeping) attach here and never sit in the request path.
 */
import type { IdentifiableKind } from '../model/types.js';

export interface RepositoryEvent {
  type: 'created' | 'updated' | 'deleted';
  kind: IdentifiableKind;
  id: string;
  /**
   * Set when the write changed element values only (PATCH $value, values from an asset): no element was added,
   * removed, renamed or retyped, and no qualifier changed.
   */
  valuesOnly?: true;
}

export type RepositoryEventListener = (event: RepositoryEvent) => void;

export class EventBus {
  private readonly listeners = new Set<RepositoryEventListener>();

  /** `onListenerError` sees what a subscriber threw; it must not fail the write that already happened. */
  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  subscribe(listener: RepositoryEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: RepositoryEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}
