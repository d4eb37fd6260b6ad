/**
 * The store contract suite: behaviour every AasStore backend must show (src/store/store.ts). A backend's test
 * file calls `storeContract` with a factory that opens a fresh, empty store; each case gets its own store and
 * calls `cleanup` afterwards.
 */
import { afterEach, beforeEach, describe } from 'node:test';
import type { AasStore } from '../../src/store/store.js';
import { attachmentCases } from './contract-attachments.js';
import { configDocumentCases } from './contract-config-documents.js';
import { elementCases } from './contract-elements.js';
import { filterCases } from './contract-filters.js';
import { packageCases } from './contract-packages.js';
import type { StoreFactory } from './contract-fixtures.js';
import { pagingCases } from './contract-paging.js';
import { projectionCases } from './contract-projections.js';
import { revisionCases } from './contract-revisions.js';
import { writeCases } from './contract-writes.js';

export type { StoreFactory } from './contract-fixtures.js';

export function storeContract(name: string, open: StoreFactory): void {
  describe(`store contract: ${name}`, () => {
    let current: Awaited<ReturnType<StoreFactory>> | undefined;
    beforeEach(async () => {
      current = await open();
    });
    afterEach(async () => {
      const opened = current;
      current = undefined;
      await opened?.cleanup();
    });
    const store = (): AasStore => {
      if (current === undefined) throw new Error('no store is open for this case');
      return current.store;
    };

    writeCases(store);
    filterCases(store);
    pagingCases(store);
    attachmentCases(store);
    elementCases(store);
    configDocumentCases(store);
    revisionCases(store);
    projectionCases(store);
    packageCases(store);
  });
}
