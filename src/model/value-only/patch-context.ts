/**
 * The state of one ValueOnly PATCH: the JSON path inside the client's value that is being applied, and the
 * problems found so far. All problems are collected before anything is thrown, so a client learns every one.
 */
import { BadRequest, type ErrorDetail } from '../../errors.js';
import { jsonPath, type ValidationIssue } from '../../validation/issues.js';

/** More details than this help nobody fix a request; the last one says how many were left out. */
const MAX_DETAILS = 20;

export class PatchContext {
  private readonly problems: ErrorDetail[] = [];
  private readonly segments: (string | number)[] = [];

  /** Runs `apply` with `segment` (a key or index of the client's value) appended to the current path. */
  at(segment: string | number, apply: () => void): void {
    this.segments.push(segment);
    try {
      apply();
    } finally {
      this.segments.pop();
    }
  }

  fail(message: string, ...tail: (string | number)[]): void {
    const path = jsonPath(tail.length === 0 ? this.segments : [...this.segments, ...tail]);
    this.problems.push({ path, text: `${path}: ${message}` });
  }

  /** Schema issues of a value found at the current path (their paths start at that value's `$`). */
  failWith(issues: readonly ValidationIssue[]): void {
    const base = jsonPath(this.segments);
    for (const issue of issues) {
      const path = base + issue.path.slice(1);
      this.problems.push({ path, text: `${path}: ${issue.message}` });
    }
  }

  get failed(): boolean {
    return this.problems.length > 0;
  }

  /** Throws BadRequest carrying every problem, if there was one. */
  finish(subject: string): void {
    if (this.problems.length === 0) return;
    const details = this.problems.slice(0, MAX_DETAILS);
    if (this.problems.length > MAX_DETAILS) details.push({ text: `... and ${this.problems.length - MAX_DETAILS} more problems` });
    throw new BadRequest(`The value does not fit the ${subject}`, details);
  }
}
