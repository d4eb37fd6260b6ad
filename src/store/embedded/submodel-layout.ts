/**
 * How the embedded store lays a submodel out in rows: a header (the document's JSON text with an empty
 * `submodelElements` array, and the offset just inside that array's brackets) plus one row per top-level element.
 * Writing one element then rewrites one row, not the whole submodel.
 *
 * Assembling puts the element texts, comma-separated, at the offset. The header is built key by key exactly as
 * `JSON.stringify` builds an object, so the assembled text is byte-for-byte `JSON.stringify` of the document
 * (the contract of `getJson`), with no marker that a value in the document could imitate.
 */

/** One top-level element as a row. */
export interface ElementRow {
  idShort: string | null;
  json: string;
}

export interface SubmodelLayout {
  header: string;
  /** Offset in `header` where the element texts go; null when the document has no array of elements to split. */
  elementsAt: number | null;
  elements: ElementRow[];
}

/** JSON.stringify of an array item (undefined and functions become null, as in an array). */
function itemText(item: unknown): string {
  return JSON.stringify(item) ?? 'null';
}

export function splitSubmodel(doc: object): SubmodelLayout {
  const elements = (doc as { submodelElements?: unknown }).submodelElements;
  if (!Array.isArray(elements) || typeof (doc as { toJSON?: unknown }).toJSON === 'function') {
    return { header: JSON.stringify(doc), elementsAt: null, elements: [] };
  }
  let before = '{';
  let after = '';
  let seen = false;
  for (const [key, value] of Object.entries(doc)) {
    if (key === 'submodelElements') {
      before += `${before === '{' ? '' : ','}${JSON.stringify(key)}:[`;
      seen = true;
      continue;
    }
    const text = JSON.stringify(value);
    if (text === undefined) continue; // JSON.stringify leaves such keys out
    const entry = `${JSON.stringify(key)}:${text}`;
    if (seen) after += `,${entry}`;
    else before += `${before === '{' ? '' : ','}${entry}`;
  }
  return {
    header: `${before}]${after}}`,
    elementsAt: before.length,
    elements: elements.map((element: unknown) => ({
      idShort: typeof (element as { idShort?: unknown } | null)?.idShort === 'string' ? (element as { idShort: string }).idShort : null,
      json: itemText(element),
    })),
  };
}

/** The document text from its header and its element texts in position order. */
export function assembleSubmodel(header: string, elementsAt: number | null, elementTexts: readonly string[]): string {
  if (elementsAt === null) return header;
  return header.slice(0, elementsAt) + elementTexts.join(',') + header.slice(elementsAt);
}
