/**
 * The AAS XML namespaces (Part 1 §7 XML): one per metamodel version. V3.0 and V3.1 documents have the same
 * element names and order; V3.1 relaxed a few occurrences and facets (see v30-compatibility.ts).
 */
export type AasXmlVersion = '3.0' | '3.1';

export const AAS_XML_NAMESPACES: Readonly<Record<AasXmlVersion, string>> = {
  '3.0': 'https://admin-shell.io/aas/3/0',
  '3.1': 'https://admin-shell.io/aas/3/1',
};

/** What the writer produces unless asked otherwise: the metamodel this server implements. */
export const DEFAULT_XML_VERSION: AasXmlVersion = '3.1';

export function versionOfNamespace(namespace: string | undefined): AasXmlVersion | undefined {
  if (namespace === AAS_XML_NAMESPACES['3.1']) return '3.1';
  if (namespace === AAS_XML_NAMESPACES['3.0']) return '3.0';
  return undefined;
}
