/**
 * Driver errors as the store contract's errors (src/store/mongodb/driver-errors.ts): unreachable → 503, duplicate
 * key and write conflict → 409, everything else unchanged. The server-selection error comes from the real driver failing to reach a
 * closed port on 127.0.0.1; server errors are built the way the driver builds them from a server reply.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MongoBulkWriteError, MongoClient, MongoNetworkError, MongoServerError } from 'mongodb';
import { BadRequest, Conflict, ServiceUnavailable } from '../../src/errors.js';
import { isDuplicateKey, isUnavailable, translateDriverError } from '../../src/store/mongodb/driver-errors.js';
import { freePort } from '../free-port.js';


describe('driver errors', () => {
  it('turns the real driver failing to reach a server into ServiceUnavailable, also after the topology closed', async () => {
    const client = new MongoClient(`mongodb://127.0.0.1:${await freePort()}/?directConnection=true`, { serverSelectionTimeoutMS: 150 });
    try {
      const first = await client.db('x').collection('y').findOne({}).then(() => undefined, (e: unknown) => e);
      const second = await client.db('x').collection('y').findOne({}).then(() => undefined, (e: unknown) => e);
      for (const error of [first, second]) {
        assert.ok(isUnavailable(error), String(error));
        const translated = translateDriverError(error);
        assert.ok(translated instanceof ServiceUnavailable);
        assert.match(translated.message, /^MongoDB is not available: /);
      }
    } finally {
      await client.close();
    }
  });

  it('turns network errors, not-primary replies and transient labels into ServiceUnavailable', () => {
    assert.ok(translateDriverError(new MongoNetworkError('connection reset')) instanceof ServiceUnavailable);
    assert.ok(translateDriverError(new MongoServerError({ message: 'not primary', code: 10107 })) instanceof ServiceUnavailable);
    assert.ok(translateDriverError(new MongoServerError({ message: 'shutting down', code: 91 })) instanceof ServiceUnavailable);
    const transient = new MongoServerError({ message: 'no such transaction', code: 251, errorLabels: ['TransientTransactionError'] });
    assert.ok(translateDriverError(transient) instanceof ServiceUnavailable);
  });

  it('turns a write conflict left over after the transaction retries into Conflict, not ServiceUnavailable', () => {
    const conflict = new MongoServerError({ message: 'WriteConflict', code: 112, errorLabels: ['TransientTransactionError'] });
    const translated = translateDriverError(conflict);
    assert.ok(translated instanceof Conflict, String(translated));
    assert.match(translated.message, /Another writer/);
  });

  it('turns a duplicate key, alone or inside a bulk write, into Conflict with the given message', () => {
    const single = new MongoServerError({ message: 'E11000 duplicate key error collection: aas.shells index: _id_', code: 11000 });
    assert.ok(isDuplicateKey(single));
    const translated = translateDriverError(single, "A shell with id 'urn:x' already exists");
    assert.ok(translated instanceof Conflict);
    assert.equal(translated.message, "A shell with id 'urn:x' already exists");
    const bulk = new MongoBulkWriteError({ message: 'bulk', code: 11000, writeErrors: [{ code: 11000, index: 0, errmsg: 'dup' }] } as never, { insertedCount: 0 } as never);
    assert.ok(isDuplicateKey(bulk));
    assert.ok(translateDriverError(bulk) instanceof Conflict);
  });

  it('leaves the contract errors and other failures as they are', () => {
    const badRequest = new BadRequest('no');
    assert.equal(translateDriverError(badRequest), badRequest);
    const other = new MongoServerError({ message: 'BadValue', code: 2 });
    assert.equal(translateDriverError(other), other);
    assert.equal(isUnavailable(other), false);
    const bug = new TypeError('a bug');
    assert.equal(translateDriverError(bug), bug);
  });
});
