/** The asset connection schema and the rules beside it, as a file or a REST body sees them. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConnection, parseConnectionFile, resolveConnection, withoutSecrets } from '../../src/connectors/opcua/connection-config.js';
import { ValidationFailed } from '../../src/errors.js';

const base = { id: 'c1', endpointUrl: 'opc.tcp://127.0.0.1:4840' };
const mapping = { submodelId: 'urn:sm', idShortPath: 'A.B[1]', nodeId: 'ns=2;s=X', modes: ['subscribe'] };

function problems(run: () => unknown): string[] {
  try {
    run();
  } catch (e) {
    assert.ok(e instanceof ValidationFailed);
    return e.details.map((d) => d.text);
  }
  assert.fail('expected ValidationFailed');
}

describe('asset connection configuration', () => {
  it('accepts a minimal connection and fills in the defaults', () => {
    const resolved = resolveConnection(parseConnection(base));
    assert.equal(resolved.securityMode, 'None');
    assert.equal(resolved.publishingInterval, 50);
    assert.deepEqual(resolved.reconnectDelay, { initial: 250, max: 2000 });
    assert.deepEqual([resolved.mappings, resolved.methods], [[], []]);
  });

  it('names every problem by its JSON path', () => {
    const found = problems(() => parseConnection({ ...base, extra: 1, mappings: [{ ...mapping, modes: [] }, { ...mapping, deadband: { type: 'relative', value: 1 } }] }));
    for (const path of ['$.extra', '$.mappings[0].modes', '$.mappings[1].deadband.type']) assert.ok(found.some((t) => t.startsWith(path)), `${path} in ${found.join('; ')}`);
  });

  it('checks what the schema cannot: security pairs, delays, an element mapped twice', () => {
    assert.match(problems(() => parseConnection({ ...base, securityMode: 'SignAndEncrypt' })).join(), /\$\.securityPolicy/);
    assert.match(problems(() => parseConnection({ ...base, securityPolicy: 'Basic256Sha256' })).join(), /securityMode None/);
    assert.match(problems(() => parseConnection({ ...base, reconnectDelay: { initial: 5000, max: 1000 } })).join(), /\$\.reconnectDelay/);
    assert.match(problems(() => parseConnection({ ...base, mappings: [mapping, { ...mapping, nodeId: 'ns=2;s=Y' }] })).join(), /\$\.mappings\[1\].*mapped twice/);
    assert.match(problems(() => parseConnection({ ...base, mappings: [{ ...mapping, idShortPath: 'A..B' }] })).join(), /\$\.mappings\[0\]\.idShortPath/);
  });

  it('refuses a file with two connections of one id, naming the file', () => {
    try {
      parseConnectionFile({ connections: [base, base] }, 'plant.yaml');
      assert.fail('expected ValidationFailed');
    } catch (e) {
      assert.ok(e instanceof ValidationFailed);
      assert.match(e.message, /plant\.yaml/);
      assert.match(e.details[0].text, /\$\.connections\[1\]\.id/);
    }
  });

  it('never shows the password', () => {
    assert.deepEqual(withoutSecrets({ ...base, user: { username: 'u', password: 'p' } }), { ...base, user: { username: 'u' } });
  });
});
