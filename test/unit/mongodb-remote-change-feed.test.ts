/**
 * The lifecycle of the MongoDB store's remote-change feed (src/store/mongodb/remote-changes.ts): when it opens and
 * closes its change stream, where it resumes after a failure, what it does on a standalone server. The stream
 * here is a scripted stand-in for the driver's ChangeStream (its `tryNext`, async iteration, `resumeToken` and
 * `close`), so these tests cover the feed's own logic only; what MongoDB sends is covered by the store test
 * against a real replica set (test/store/mongodb.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { MongoServerError, type Document } from 'mongodb';
import type { MongoConnection } from '../../src/store/mongodb/connection.js';
import { OwnDeletes } from '../../src/store/mongodb/remote-change-events.js';
import { RemoteChangeFeed } from '../../src/store/mongodb/remote-changes.js';
import type { RemoteChange } from '../../src/store/store.js';

type Step = { event: Document } | { error: Error };

/** Plays its steps, then waits (like an idle stream) until closed. */
class ScriptedStream {
  closed = false;
  resumeToken: unknown;
  private wakeUp: () => void = () => undefined;

  constructor(
    private readonly steps: Step[],
    readonly options: Document,
  ) {}

  async tryNext(): Promise<null> {
    return null;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Document> {
    for (const step of this.steps) {
      await sleep(1);
      if (this.closed) throw new Error('ChangeStream is closed');
      if ('error' in step) throw step.error;
      this.resumeToken = step.event._id;
      yield step.event;
    }
    await new Promise<void>((resolve) => (this.wakeUp = resolve));
    throw new Error('ChangeStream is closed');
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeUp();
  }
}

function fakeConnection(scripts: Step[][], replicaSet = true) {
  const opened: ScriptedStream[] = [];
  const connection = {
    isClosed: false,
    changeStreamsAvailable: replicaSet,
    ready: async () => undefined,
    db: {
      watch: (_pipeline: Document[], options: Document) => {
        const stream = new ScriptedStream(scripts[opened.length] ?? [], options);
        opened.push(stream);
        return stream;
      },
    },
  };
  return { connection: connection as unknown as MongoConnection, opened };
}

const event = (token: string, operationType: string, coll: string, id: string): Step => ({
  event: { _id: { _data: token }, operationType, ns: { db: 'd', coll }, documentKey: { _id: id } },
});

async function waitFor(condition: () => boolean, ms = 3_000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) assert.fail('condition did not hold in time');
    await sleep(5);
  }
}

describe('RemoteChangeFeed', () => {
  it('opens the stream for the first listener, delivers other instances’ changes to all, and closes with the last', async () => {
    const { connection, opened } = fakeConnection([[event('t1', 'insert', 'shells', 'urn:a'), event('t2', 'update', 'submodels', 'urn:sm')]]);
    const feed = new RemoteChangeFeed({ connection, writer: 'ab', ownDeletes: new OwnDeletes(), log: () => undefined });
    const first: RemoteChange[] = [];
    const second: RemoteChange[] = [];
    const offFirst = feed.subscribe((c) => first.push(c));
    const offSecond = feed.subscribe((c) => second.push(c));
    await feed.whenOpen();
    await waitFor(() => second.length === 2);
    assert.deepEqual(first, [
      { type: 'created', kind: 'shells', id: 'urn:a' },
      { type: 'updated', kind: 'submodels', id: 'urn:sm' },
    ]);
    assert.equal(opened.length, 1, 'one stream for all listeners');
    offFirst();
    assert.equal(opened[0].closed, false);
    offSecond();
    await waitFor(() => opened[0].closed);
  });

  it('does not report the deletes this instance announced, and keeps delivering when a listener throws', async () => {
    const ownDeletes = new OwnDeletes();
    const { connection } = fakeConnection([[event('t1', 'delete', 'shells', 'urn:mine'), event('t2', 'delete', 'shells', 'urn:theirs')]]);
    const logged: string[] = [];
    const feed = new RemoteChangeFeed({ connection, writer: 'ab', ownDeletes, log: (e) => logged.push(e.message) });
    const seen: RemoteChange[] = [];
    const offThrowing = feed.subscribe(() => {
      throw new Error('listener bug');
    });
    const off = feed.subscribe((c) => seen.push(c));
    assert.equal(ownDeletes.active, true, 'announcements count once someone listens');
    ownDeletes.announce('shells', 'urn:mine');
    await waitFor(() => seen.length === 1);
    assert.deepEqual(seen, [{ type: 'deleted', kind: 'shells', id: 'urn:theirs' }]);
    assert.ok(logged.some((line) => /listener of remote changes threw/.test(line)));
    offThrowing();
    off();
    await feed.stop();
    assert.equal(ownDeletes.active, false);
  });

  it('re-opens after a failure after the last change it saw, and from the present when that is no longer possible', async () => {
    const historyLost = new MongoServerError({ message: 'resume point no longer in the oplog', code: 286 });
    const { connection, opened } = fakeConnection([
      [event('t1', 'insert', 'shells', 'urn:a'), { error: new Error('connection lost') }],
      [event('t2', 'insert', 'shells', 'urn:b'), { error: historyLost }],
      [event('t3', 'insert', 'shells', 'urn:c')],
    ]);
    const logged: string[] = [];
    const feed = new RemoteChangeFeed({ connection, writer: 'ab', ownDeletes: new OwnDeletes(), log: (e) => logged.push(`${e.level}: ${e.message}`) });
    const seen: string[] = [];
    const off = feed.subscribe((c) => seen.push(c.id));
    await waitFor(() => seen.length === 3, 5_000);
    assert.deepEqual(seen, ['urn:a', 'urn:b', 'urn:c']);
    assert.deepEqual(
      opened.map((s) => s.options),
      [{}, { startAfter: { _data: 't1' } }, {}],
    );
    assert.ok(logged.some((line) => /^warn: MongoDB change stream failed/.test(line)));
    assert.ok(logged.some((line) => /^warn: .*could not resume where it stopped/.test(line)));
    off();
    await feed.stop();
  });

  it('on a standalone server opens nothing, says so once, and reports nothing', async () => {
    const { connection, opened } = fakeConnection([], false);
    const ownDeletes = new OwnDeletes();
    const logged: string[] = [];
    const feed = new RemoteChangeFeed({ connection, writer: 'ab', ownDeletes, log: (e) => logged.push(e.message) });
    const off = feed.subscribe(() => assert.fail('nothing to report'));
    await waitFor(() => logged.length > 0);
    await feed.stop();
    const again = feed.subscribe(() => assert.fail('nothing to report'));
    await sleep(20);
    assert.equal(opened.length, 0);
    assert.equal(logged.filter((line) => /standalone server/.test(line)).length, 1);
    assert.equal(ownDeletes.active, false, 'no announcements kept where no event will ever consume them');
    off();
    again();
    await feed.stop();
  });
});
