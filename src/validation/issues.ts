/**
 * What validation reports. `schema` issues break the JSON schema (structure, types, patterns, lengths) and are
 * always rejected; `constraint` issues break an AASd/AASc constraint or a value/valueType rule of Part 1 and are
 * rejected in strict mode, stored with a warning in lenient mode.
 */
export interface ValidationIssue {
  kind: 'schema' | 'constraint';
  /** JSON path from the validated document's root, e.g. `$.submodelElements[2].value[0].idShort`. */
  path: string;
  /** What is wrong, naming the constraint where there is one (e.g. `AASd-022: idShort "x" is not unique ...`). */
  message: string;
}

/** `strict`: schema and constraint issues reject. `lenient`: only schema issues reject. */
export type ValidationLevel = 'strict' | 'lenient';

/** Renders a JSON path from path segments: property names and array indexes. */
export function jsonPath(segments: readonly (string | number)[]): string {
  let out = '$';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) out += `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}
