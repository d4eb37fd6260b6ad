/**
 * The state one constraint check carries through a document: the JSON path of the value being looked at and
 * the issues found so far. The path is a stack (push on the way down, pop on the way up) and is rendered to a
 * string only when an issue is reported, so that checking a large submodel costs no string building.
 */
import { jsonPath, type ValidationIssue } from '../issues.js';

export type PathSegment = string | number;
export type JsonObject = Record<string, unknown>;

export class ConstraintContext {
  readonly issues: ValidationIssue[] = [];
  private readonly segments: PathSegment[] = [];

  /** Runs `check` with `segment` appended to the current path. */
  at(segment: PathSegment, check: () => void): void {
    this.segments.push(segment);
    try {
      check();
    } finally {
      this.segments.pop();
    }
  }

  /** Reports an issue at the current path, extended by `tail` (e.g. `report(msg, 'idShort')`). */
  report(message: string, ...tail: PathSegment[]): void {
    const path = jsonPath(tail.length === 0 ? this.segments : [...this.segments, ...tail]);
    this.issues.push({ kind: 'constraint', path, message });
  }
}

/* Type guards: the input is assumed to have passed the JSON schema, but nothing here may throw on odd input. */

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function arrayOf(value: unknown): readonly unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Quotes a value for a message, shortening very long ones so that messages stay readable. */
export function quote(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}
