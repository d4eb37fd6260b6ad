/**
 * ValueOnly (`$value`) form of submodels and submodel elements (Part 1 §"Format Value (Value-Only
 * Serialization) in JSON"; Part 2 content modifier `$value`): serialization and PATCH.
 */
export { elementToValueOnly, submodelToValueOnly, type ValueOnlyOptions } from './to-value-only.js';
export { applyElementValueOnly, applySubmodelValueOnly } from './apply-value-only.js';
export { jsonToXsdValue, xsdValueToJson } from './xsd-json-values.js';
