/** The MongoDB backend of the store contract (see docs/mongodb.md). */
export { openMongoStore, DEFAULT_SERVER_SELECTION_TIMEOUT_MS, DEFAULT_WRITER_LEASE_MS, type MongoRemoteChanges, type MongoStoreOptions } from './mongo-store.js';
export type { BatchAtomicity } from './batch-writer.js';
export type { MongoStoreLog, MongoStoreLogEntry } from './connection.js';
