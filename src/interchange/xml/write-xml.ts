/**
 * Writes the Part 1 JSON form as AAS XML (V3.1 by default, V3.0 on request): element names and order from the
 * table in xml-classes.ts, so the output follows AAS.xsd. Indented two spaces; text content is never padded.
 *
 * The input is expected to be valid (it comes from the store or through the Validator). What still cannot be
 * written (a property the metamodel does not have, a value of the wrong JSON type, a character XML cannot carry,
 * or, for V3.0, something V3.0 cannot express) is collected over the whole document and thrown once as
 * BadRequest, one detail per problem with its JSON path, rather than writing a broken or lossy document.
 */
import { BadRequest, type ErrorDetail } from '../../errors.js';
import type { Environment } from '../../model/types.js';
import type { Identifiable } from './read-xml.js';
import { v30Problems } from './v30-compatibility.js';
import { IDENTIFIABLE_CLASSES, memberByElement, elementNameOf, xmlClass, type XmlClass, type XmlField } from './xml-classes.js';
import { describeCharacterAt, escapeText, indexOfNonXmlCharacter } from './xml-text.js';
import { AAS_XML_NAMESPACES, DEFAULT_XML_VERSION, type AasXmlVersion } from './xml-versions.js';

export interface XmlWriteOptions {
  /** Metamodel version (and so namespace) to write; default 3.1. */
  version?: AasXmlVersion;
}

const INDENT = '  ';

class XmlWriter {
  readonly lines: string[] = [];
  readonly problems: ErrorDetail[] = [];

  constructor(readonly version: AasXmlVersion) {}

  private problem(path: string, text: string): void {
    this.problems.push({ path, text });
  }

  private text(name: string, value: string, depth: number, path: string): void {
    const bad = indexOfNonXmlCharacter(value);
    if (bad !== -1) {
      this.problem(path, `character ${describeCharacterAt(value, bad)} at position ${bad} cannot be written in XML`);
      return;
    }
    this.lines.push(`${INDENT.repeat(depth)}<${name}>${escapeText(value)}</${name}>`);
  }

  private member(members: readonly string[], value: unknown, depth: number, path: string): void {
    const modelType = isObject(value) ? value.modelType : undefined;
    const cls = typeof modelType === 'string' ? memberByElement(members, elementNameOf(modelType)) : undefined;
    if (cls === undefined || cls.modelType !== modelType) {
      this.problem(`${path}.modelType`, `modelType ${JSON.stringify(modelType)} is not one of ${members.join(', ')}`);
      return;
    }
    this.object(cls, value, cls.element, depth, path);
  }

  private field(field: XmlField, value: unknown, depth: number, path: string): void {
    const name = field.name;
    const pad = INDENT.repeat(depth);
    switch (field.kind) {
      case 'text':
      case 'base64':
        if (typeof value === 'string') this.text(name, value, depth, path);
        else this.problem(path, `expected a string, found ${typeof value}`);
        return;
      case 'boolean':
        if (typeof value === 'boolean') this.lines.push(`${pad}<${name}>${value}</${name}>`);
        else this.problem(path, `expected a boolean, found ${typeof value}`);
        return;
      case 'object':
        this.object(xmlClass(field.className), value, name, depth, path);
        return;
      case 'choice':
        this.lines.push(`${pad}<${name}>`);
        this.member(field.members, value, depth + 1, path);
        this.lines.push(`${pad}</${name}>`);
        return;
      case 'list':
      case 'choiceList': {
        if (!Array.isArray(value)) {
          this.problem(path, `expected an array, found ${typeof value}`);
          return;
        }
        this.lines.push(`${pad}<${name}>`);
        value.forEach((item, index) => {
          if (field.kind === 'list') this.object(xmlClass(field.className), item, field.itemElement, depth + 1, `${path}[${index}]`);
          else this.member(field.members, item, depth + 1, `${path}[${index}]`);
        });
        this.lines.push(`${pad}</${name}>`);
        return;
      }
    }
  }

  /** One class instance as element `name` (its class element, or the property holding it). */
  object(cls: XmlClass, value: unknown, name: string, depth: number, path: string, rootAttributes = ''): void {
    if (!isObject(value)) {
      this.problem(path, `expected a ${cls.name} object, found ${Array.isArray(value) ? 'an array' : typeof value}`);
      return;
    }
    for (const key of Object.keys(value)) {
      if (key === 'modelType' ? value.modelType !== cls.modelType : !cls.fieldsByElement.has(key)) {
        this.problem(`${path}.${key}`, key === 'modelType' ? `modelType ${JSON.stringify(value.modelType)} where ${cls.name} was expected` : `${cls.name} has no property "${key}"`);
      }
    }
    if (this.version === '3.0') this.problems.push(...v30Problems(cls, value, path));
    const pad = INDENT.repeat(depth);
    const present = cls.fields.filter((field) => value[field.name] !== undefined);
    if (present.length === 0) {
      this.lines.push(`${pad}<${name}${rootAttributes}/>`);
      return;
    }
    this.lines.push(`${pad}<${name}${rootAttributes}>`);
    for (const field of present) this.field(field, value[field.name], depth + 1, `${path}.${field.name}`);
    this.lines.push(`${pad}</${name}>`);
  }

  document(cls: XmlClass, value: unknown): string {
    this.object(cls, value, cls.element, 0, '$', ` xmlns="${AAS_XML_NAMESPACES[this.version]}"`);
    if (this.problems.length > 0) {
      throw new BadRequest(`The model cannot be written as AAS XML V${this.version}: ${this.problems[0].text}`, this.problems);
    }
    return `<?xml version="1.0" encoding="UTF-8"?>\n${this.lines.join('\n')}\n`;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An Environment as an AAS XML document with root `<environment>`. */
export function environmentToXml(environment: Environment, options: XmlWriteOptions = {}): string {
  return new XmlWriter(options.version ?? DEFAULT_XML_VERSION).document(xmlClass('Environment'), environment);
}

/** One shell, submodel or concept description as an AAS XML document with it as the root (chosen by modelType). */
export function identifiableToXml(identifiable: Identifiable, options: XmlWriteOptions = {}): string {
  const modelType: unknown = (identifiable as { modelType?: unknown }).modelType;
  const className = IDENTIFIABLE_CLASSES.find((name) => name === modelType);
  if (className === undefined) {
    throw new BadRequest('Only a shell, submodel or concept description can be the root of an AAS XML document', [
      { path: '$.modelType', text: `modelType ${JSON.stringify(modelType)} is not AssetAdministrationShell, Submodel or ConceptDescription` },
    ]);
  }
  return new XmlWriter(options.version ?? DEFAULT_XML_VERSION).document(xmlClass(className), identifiable);
}
