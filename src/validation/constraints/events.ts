/**
 * Event rules of Part 1 V3.1 (§Basic Event Element, §Event Payload): UTC date-times (DateTimeUtc, with real
 * calendar dates so that Feb 29 exists only in leap years), durations, and the model references that must
 * point at referables or event elements.
 */
import { isObject, quote, stringOf, type ConstraintContext, type JsonObject } from './context.js';
import { AAS_REFERABLES } from './key-types.js';
import { checkModelReferenceTo, checkReference } from './references.js';
import { isDateTimeUtc } from './xsd-calendar.js';
import { isXsDuration } from './xsd-values.js';

const EVENT_ELEMENTS: ReadonlySet<string> = new Set(['EventElement', 'BasicEventElement']);

function checkDateTimeUtc(ctx: ConstraintContext, owner: JsonObject, field: string): void {
  const text = stringOf(owner[field]);
  if (text !== undefined && !isDateTimeUtc(text)) {
    ctx.report(`${field} ${quote(text)} is not a valid xs:dateTime with the time zone fixed to UTC`, field);
  }
}

function checkDuration(ctx: ConstraintContext, owner: JsonObject, field: string): void {
  const text = stringOf(owner[field]);
  if (text !== undefined && !isXsDuration(text)) ctx.report(`${field} ${quote(text)} is not a valid xs:duration`, field);
}

/** The attributes only a BasicEventElement has (its inherited ones are checked with every submodel element). */
export function checkBasicEventElementAttributes(ctx: ConstraintContext, element: JsonObject): void {
  checkDateTimeUtc(ctx, element, 'lastUpdate');
  checkDuration(ctx, element, 'minInterval');
  checkDuration(ctx, element, 'maxInterval');
  if (element.direction === 'input' && element.maxInterval !== undefined) {
    ctx.report('maxInterval is not applicable for direction "input"', 'maxInterval');
  }
  if (element.observed !== undefined) {
    ctx.at('observed', () => {
      checkReference(ctx, element.observed);
      checkModelReferenceTo(ctx, element.observed, AAS_REFERABLES, 'observed');
    });
  }
  if (element.messageBroker !== undefined) {
    ctx.at('messageBroker', () => {
      checkReference(ctx, element.messageBroker);
      checkModelReferenceTo(ctx, element.messageBroker, AAS_REFERABLES, 'messageBroker');
    });
  }
}

export function checkEventPayload(ctx: ConstraintContext, payload: unknown): void {
  if (!isObject(payload)) return;
  if (payload.source !== undefined) {
    ctx.at('source', () => {
      checkReference(ctx, payload.source);
      checkModelReferenceTo(ctx, payload.source, EVENT_ELEMENTS, 'source');
    });
  }
  if (payload.observableReference !== undefined) {
    ctx.at('observableReference', () => {
      checkReference(ctx, payload.observableReference);
      checkModelReferenceTo(ctx, payload.observableReference, AAS_REFERABLES, 'observableReference');
    });
  }
  for (const field of ['sourceSemanticId', 'observableSemanticId', 'subjectId']) {
    if (payload[field] !== undefined) ctx.at(field, () => checkReference(ctx, payload[field]));
  }
  checkDateTimeUtc(ctx, payload, 'timeStamp');
}
