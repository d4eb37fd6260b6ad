/**
 * AAS XML serialization (Part 1 v3.1 §7, AAS.xsd of metamodel V3.0 and V3.1): a pure mapping between XML text
 * and the Part 1 JSON form (src/model/types.ts). No I/O. Readers throw BadRequest for what cannot be read;
 * validation of what was read stays the Validator's, as for JSON bodies.
 */
export { environmentToXml, identifiableToXml, type XmlWriteOptions } from './write-xml.js';
export { readXmlDocument, xmlToEnvironment, xmlToIdentifiable, type AasXmlDocument, type Identifiable } from './read-xml.js';
export { AAS_XML_NAMESPACES, DEFAULT_XML_VERSION, type AasXmlVersion } from './xml-versions.js';
