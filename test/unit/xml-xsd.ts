/**
 * The official AAS.xsd in tests: running xmllint over many documents at once, and reading each class's element
 * sequence from the schema text to compare with the writer's table.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { XMLParser } from 'fast-xml-parser';

export function xmllintAvailable(): boolean {
  const probe = spawnSync('xmllint', ['--version'], { encoding: 'utf8' });
  return probe.error === undefined && probe.status === 0;
}

/**
 * A schema that includes AAS.xsd and adds global elements for the three Identifiables: AAS.xsd declares only
 * `<environment>` globally, while a single shell, submodel or concept description is a document of its own
 * (e.g. a request body). The types are the official ones.
 */
function rootsSchema(xsdFile: string, namespace: string): string {
  return [
    `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="${namespace}" targetNamespace="${namespace}" elementFormDefault="qualified">`,
    `  <xs:include schemaLocation="${pathToFileURL(xsdFile).href}"/>`,
    '  <xs:element name="assetAdministrationShell" type="assetAdministrationShell_t"/>',
    '  <xs:element name="submodel" type="submodel_t"/>',
    '  <xs:element name="conceptDescription" type="conceptDescription_t"/>',
    '</xs:schema>',
  ].join('\n');
}

export interface XsdVerdicts {
  validated: number;
  /** label → first error line, for each document xmllint rejected. */
  failures: Map<string, string>;
}

function runXmllint(schema: string, files: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('xmllint', ['--noout', '--schema', schema, ...files], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    // Exit status 3 means "some document did not validate"; the per-file lines say which.
    child.on('close', (code) => (code === 0 || code === 3 ? resolve(stderr) : reject(new Error(`xmllint exited ${code}: ${stderr.slice(0, 500)}`))));
  });
}

/** Validates every document against `xsdFile` (with Identifiable roots allowed), a few xmllint runs in parallel. */
export async function validateWithXsd(xsdFile: string, namespace: string, documents: { label: string; xml: string }[]): Promise<XsdVerdicts> {
  const dir = mkdtempSync(join(tmpdir(), 'aas-xml-xsd-'));
  try {
    const schema = join(dir, 'roots.xsd');
    writeFileSync(schema, rootsSchema(xsdFile, namespace));
    const labels = new Map<string, string>();
    const files = documents.map((doc, index) => {
      const file = join(dir, `d${index}.xml`);
      writeFileSync(file, doc.xml);
      labels.set(file, doc.label);
      return file;
    });
    const chunks: string[][] = [];
    for (let i = 0; i < files.length; i += 500) chunks.push(files.slice(i, i + 500));
    const outputs = await Promise.all(chunks.map((chunk) => runXmllint(schema, chunk)));
    const failures = new Map<string, string>();
    for (const line of outputs.join('\n').split('\n')) {
      // "<file>:<line>: element …: Schemas validity error …" or "<file> fails to validate" ("<file> validates" is fine).
      const file = /^(\S+?\.xml)(?::| fails to validate)/.exec(line)?.[1];
      const label = file === undefined ? undefined : labels.get(file);
      if (label === undefined) continue;
      if (!failures.has(label) || failures.get(label)?.endsWith('fails to validate')) failures.set(label, line.slice(0, 300));
    }
    return { validated: documents.length - failures.size, failures };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/* ---- the element sequence of each class in the XSD ---- */

type Node = Record<string, unknown> & { ':@'?: Record<string, string> };

const tagOf = (node: Node): string => Object.keys(node).find((key) => key !== ':@') as string;
const childrenOf = (node: Node): Node[] => (node[tagOf(node)] as Node[]).filter((child) => tagOf(child) !== '#text');
const attribute = (node: Node, name: string): string | undefined => node[':@']?.[name];

/** One element of a class's sequence: its name, its type, and the names of the elements it wraps (lists, choices). */
export interface XsdElement {
  name: string;
  type?: string;
  wraps: string[];
}

/** For every `xs:group` of AAS.xsd that is a sequence: its elements, inherited groups flattened, in order. */
export function xsdSequences(xsdText: string): Map<string, XsdElement[]> {
  const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '' });
  const schema = (parser.parse(xsdText) as Node[]).find((node) => tagOf(node) === 'xs:schema') as Node;
  const groups = new Map(childrenOf(schema).filter((n) => tagOf(n) === 'xs:group').map((n) => [attribute(n, 'name') as string, n]));

  /** Element names a group offers: a choice's members or a sequence's elements. */
  function offered(groupName: string): string[] {
    const body = childrenOf(groups.get(groupName) as Node)[0];
    return tagOf(body) === 'xs:choice' ? childrenOf(body).map((e) => attribute(e, 'name') as string) : flatten(groupName).map((e) => e.name);
  }

  function wrapped(element: Node): string[] {
    const complex = childrenOf(element).find((n) => tagOf(n) === 'xs:complexType');
    if (!complex) return [];
    return childrenOf(childrenOf(complex)[0]).flatMap((n) => (tagOf(n) === 'xs:group' ? offered(attribute(n, 'ref') as string) : [attribute(n, 'name') as string]));
  }

  function flatten(groupName: string): XsdElement[] {
    const body = childrenOf(groups.get(groupName) as Node)[0];
    if (tagOf(body) !== 'xs:sequence') return [];
    return childrenOf(body).flatMap((n) =>
      tagOf(n) === 'xs:group'
        ? flatten(attribute(n, 'ref') as string)
        : [{ name: attribute(n, 'name') as string, type: attribute(n, 'type'), wraps: wrapped(n) }],
    );
  }

  return new Map([...groups.keys()].filter((name) => !name.endsWith('_choice')).map((name) => [name, flatten(name)]));
}
