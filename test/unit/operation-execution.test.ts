/**
 * Running an invocation (deadline, shutdown, handler failures, output checks), matching arguments to the declared
 * variables, the handler registry, and xs:duration for clientTimeoutDuration.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';
import { BadRequest } from '../../src/errors.js';
import { isOptionalVariable, matchArguments, typeMismatch } from '../../src/services/operations/operation-arguments.js';
import { execute } from '../../src/services/operations/operation-execution.js';
import { hasQualifierType, hasSemanticId, OperationHandlerRegistry, type OperationHandler, type OperationTarget } from '../../src/services/operations/operation-handler.js';
import { readOperationRequest } from '../../src/services/operations/operation-request.js';
import { formatXsDuration, parseXsDuration } from '../../src/services/operations/xs-duration.js';
import type { Operation, OperationVariable } from '../../src/validation/schema/metamodel.js';
import { Validator } from '../../src/validation/validator.js';

const validator = new Validator('strict');
const prop = (idShort: string, valueType: string, value?: string) =>
  ({ modelType: 'Property', idShort, valueType, ...(value === undefined ? {} : { value }) }) as OperationVariable['value'];
const v = (value: OperationVariable['value']): OperationVariable => ({ value });

const operation = {
  modelType: 'Operation',
  idShort: 'Scale',
  semanticId: { type: 'ExternalReference', keys: [{ type: 'GlobalReference', value: 'urn:sem:scale' }] },
  qualifiers: [{ type: 'handler/scale', valueType: 'xs:string', value: 'x' }],
  inputVariables: [
    v(prop('Factor', 'xs:double')),
    v({ ...prop('Offset', 'xs:double'), qualifiers: [{ type: 'SMT/Cardinality', valueType: 'xs:string', value: 'ZeroToOne' }] } as OperationVariable['value']),
  ],
  outputVariables: [v(prop('Scaled', 'xs:double'))],
} as Operation;

const args = { operation, submodelId: 'urn:sm', idShortPath: 'Scale', inputArguments: [v(prop('Factor', 'xs:double', '2'))], inoutputArguments: [] };

function context(timeoutMs = 1000, shutdown = new AbortController().signal) {
  return { validator, correlationId: 'req-1', timeoutMs, shutdown };
}

const handler = (invoke: OperationHandler['invoke']): OperationHandler => ({ name: 'unit', handles: () => true, invoke });

describe('execute', () => {
  it('completes with the outputs and notes of the handler', async () => {
    const result = await execute(handler(async () => ({ outputArguments: [{ value: prop('Scaled', 'xs:double', '4') }], messages: [{ text: 'scaled' }] })), args, context());
    assert.equal(result.executionState, 'Completed');
    assert.equal(result.success, true);
    assert.deepEqual(result.outputArguments, [{ value: prop('Scaled', 'xs:double', '4') }]);
    assert.deepEqual(result.inoutputArguments, []);
    assert.equal(result.messages[0].text, 'scaled');
    assert.equal(result.messages[0].messageType, 'Info');
    assert.equal(result.messages[0].correlationId, 'req-1');
  });

  it('reports a throwing handler (async or not) as Failed with its message', async () => {
    for (const h of [handler(async () => { throw new Error('motor offline'); }), handler(() => { throw new Error('motor offline'); })]) {
      const result = await execute(h, args, context());
      assert.equal(result.executionState, 'Failed');
      assert.equal(result.success, false);
      assert.match(result.messages[0].text, /motor offline/);
      assert.equal(result.messages[0].messageType, 'Error');
    }
  });

  it('times out, aborts the signal, and stays Timeout although the handler then rejects', async () => {
    let seen: AbortSignal | undefined;
    const started = Date.now();
    const result = await execute(
      handler((inv) => {
        seen = inv.signal;
        assert.equal(inv.timeoutMs, 50);
        return new Promise((_, reject) => inv.signal.addEventListener('abort', () => reject(new Error('aborted'))));
      }),
      args,
      context(50),
    );
    assert.equal(result.executionState, 'Timeout');
    assert.match(result.messages[0].text, /did not finish within PT0\.05S/);
    assert.ok(seen?.aborted);
    assert.ok(Date.now() - started < 2000);
  });

  it('ends as Canceled when the server shuts down', async () => {
    const shutdown = new AbortController();
    const running = execute(handler(() => new Promise(() => {})), args, context(60_000, shutdown.signal));
    shutdown.abort();
    const result = await running;
    assert.equal(result.executionState, 'Canceled');
  });

  it('fails a result whose outputs are not declared, of another type, or not valid elements', async () => {
    const cases: [object, RegExp][] = [
      [{ outputArguments: [{ value: prop('Other', 'xs:double', '1') }] }, /no outputVariables entry "Other"/],
      [{ outputArguments: [{ value: prop('Scaled', 'xs:string', '1') }] }, /valueType xs:string, but the Operation declares xs:double/],
      [{ outputArguments: [{ value: prop('Scaled', 'xs:double', 'lots') }] }, /outputArguments\[0\]\.value/],
      [{ outputArguments: [{ value: { idShort: 'Scaled' } }] }, /outputArguments\[0\]/],
      [{ outputArguments: 'Scaled' }, /outputArguments is not an array/],
      [{ inoutputArguments: [{ value: prop('Scaled', 'xs:double', '1') }] }, /no inoutputVariables entry "Scaled"/],
    ];
    for (const [outcome, expected] of cases) {
      const result = await execute(handler(async () => outcome as never), args, context());
      assert.equal(result.executionState, 'Failed', JSON.stringify(outcome));
      assert.match(result.messages[0].text, expected);
      assert.deepEqual(result.outputArguments, [], 'no unchecked output reaches the client');
    }
  });
});

describe('matching arguments to declared variables', () => {
  const where = (i: number) => `$.inputArguments[${i}].value`;
  const problems = (fn: () => void): string[] => {
    try {
      fn();
    } catch (e) {
      assert.ok(e instanceof BadRequest);
      return e.details.map((d) => d.text);
    }
    return [];
  };

  it('accepts the required inputs with or without the optional ones', () => {
    assert.deepEqual(problems(() => matchArguments('inputArguments', args.inputArguments, operation.inputVariables, where)), []);
    const both = [...args.inputArguments, v(prop('Offset', 'xs:double', '1'))];
    assert.deepEqual(problems(() => matchArguments('inputArguments', both, operation.inputVariables, where)), []);
  });

  it('collects every problem in one error, each with its path', () => {
    const given = [v(prop('Offset', 'xs:int', '1')), v(prop('Offset', 'xs:double', '1')), v(prop('Nope', 'xs:double', '1'))];
    const texts = problems(() => matchArguments('inputArguments', given, operation.inputVariables, where));
    assert.deepEqual(texts, [
      '$.inputArguments[0].value: "Offset" has valueType xs:int, but the Operation declares xs:double',
      '$.inputArguments[1].value: "Offset" is given more than once',
      '$.inputArguments[2].value: the Operation has no inputVariables entry "Nope" (declared: Factor, Offset)',
      '$.inputArguments: the required inputVariables entry "Factor" is missing',
    ]);
  });

  it('reads the optional-cardinality qualifier and type fields', () => {
    assert.equal(isOptionalVariable(operation.inputVariables![0]), false);
    assert.equal(isOptionalVariable(operation.inputVariables![1]), true);
    assert.equal(typeMismatch(prop('X', 'xs:int'), prop('X', 'xs:int', '3')), undefined);
    assert.match(typeMismatch(prop('X', 'xs:int'), { modelType: 'Blob', idShort: 'X', contentType: 'a/b' } as never) ?? '', /is a Blob/);
  });

  it('reads a Normal request and validates each argument against the schema and constraints', () => {
    const ok = readOperationRequest({ inputArguments: args.inputArguments, clientTimeoutDuration: 'PT1.5S' }, operation, validator);
    assert.equal(ok.clientTimeoutMs, 1500);
    assert.deepEqual(ok.inoutputArguments, []);
    const texts = problems(() => readOperationRequest({ inputArguments: [v(prop('Factor', 'xs:double', 'two'))] }, operation, validator));
    assert.ok(texts.some((t) => t.startsWith('$.inputArguments[0].value.value')), texts.join('\n'));
  });
});

describe('OperationHandlerRegistry', () => {
  const target: OperationTarget = { operation, submodelId: 'urn:sm', idShortPath: 'Scale' };
  const named = (name: string, handles: (t: OperationTarget) => boolean): OperationHandler => ({ name, handles, invoke: async () => ({}) });

  it('asks handlers in registration order; removing one lets the next take over', () => {
    const registry = new OperationHandlerRegistry();
    assert.equal(registry.find(target), undefined);
    registry.register(named('never', () => false));
    const unregister = registry.register(named('by-qualifier', hasQualifierType('handler/scale')));
    registry.register(named('by-semantic-id', hasSemanticId('urn:sem:scale')));
    assert.equal(registry.find(target)?.name, 'by-qualifier');
    unregister();
    assert.equal(registry.find(target)?.name, 'by-semantic-id');
    assert.deepEqual(registry.names, ['never', 'by-semantic-id']);
    assert.equal(hasSemanticId('urn:other')(target), false);
    assert.equal(hasQualifierType('handler/other')(target), false);
  });
});

describe('xs:duration', () => {
  it('parses durations into milliseconds', () => {
    const cases: [string, number][] = [
      ['PT60S', 60_000], ['PT0.25S', 250], ['PT.5S', 500], ['PT1M30S', 90_000], ['PT2H', 7_200_000], ['P1D', 86_400_000],
      ['P1DT1S', 86_401_000], ['P1M', 30 * 86_400_000], ['P1Y', 365 * 86_400_000], ['PT0S', 0], ['-PT1S', -1000],
    ];
    for (const [text, ms] of cases) assert.equal(parseXsDuration(text), ms, text);
  });

  it('rejects what is not an xs:duration', () => {
    for (const text of ['', 'P', 'PT', '60', 'PT60', 'P1H', 'PT1D', 'P1.5D', 'pt60s', 'PT60S ', 'P-1D']) assert.equal(parseXsDuration(text), undefined, text);
  });

  it('formats milliseconds as seconds', () => {
    assert.equal(formatXsDuration(60_000), 'PT60S');
    assert.equal(formatXsDuration(1250), 'PT1.25S');
    assert.equal(formatXsDuration(-5), 'PT0S');
    assert.equal(parseXsDuration(formatXsDuration(12_345)), 12_345);
  });
});

describe('operation settings', () => {
  it('default to PT60S / PT1H / PT1H / 1000, delegation off, link-local refused, 10 MiB responses', () => {
    const c = loadConfig({}, []);
    assert.deepEqual(
      [c.operationTimeout, c.operationMaxTimeout, c.operationResultTtl, c.operationResultLimit, c.operationDelegationAllow, c.operationDelegationAllowLinkLocal, c.operationDelegationMaxResponse],
      [60_000, 3_600_000, 3_600_000, 1000, [], false, 10 * 1024 * 1024],
    );
  });

  it('read durations, the allow list and sizes, and name a malformed value', () => {
    const c = loadConfig(
      { AAS_OPERATION_TIMEOUT: 'PT5S', AAS_OPERATION_DELEGATION_ALLOW: 'http://127.0.0.1:9000/ops/,svc.example.com', AAS_OPERATION_DELEGATION_MAX_RESPONSE: '1kb' },
      ['--operation-result-ttl', 'PT2M', '--operation-delegation-allow-link-local', 'true'],
    );
    assert.equal(c.operationTimeout, 5000);
    assert.equal(c.operationResultTtl, 120_000);
    assert.deepEqual(c.operationDelegationAllow, ['http://127.0.0.1:9000/ops/', 'svc.example.com']);
    assert.equal(c.operationDelegationAllowLinkLocal, true);
    assert.equal(c.operationDelegationMaxResponse, 1024);
    assert.throws(() => loadConfig({ AAS_OPERATION_TIMEOUT: '60' }, []), (e: unknown) => e instanceof ConfigError && /AAS_OPERATION_TIMEOUT.*PT60S/.test((e as Error).message));
    assert.throws(() => loadConfig({ AAS_OPERATION_MAX_TIMEOUT: '-PT1S' }, []), /AAS_OPERATION_MAX_TIMEOUT/);
    assert.throws(() => loadConfig({ AAS_OPERATION_DELEGATION_ALLOW: 'gopher://x/' }, []), /AAS_OPERATION_DELEGATION_ALLOW.*only http and https/);
  });
});
