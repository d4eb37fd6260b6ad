/**
 * The AAS XML reader on documents other tools write (prefixes, any property order, comments, CDATA, V3.0) and
 * on what it must refuse (DOCTYPE/entities, not XML, wrong namespace or root, unknown elements, untyped values),
 * always as BadRequest naming where; and the writer's refusals (V3.0 limits, values XML cannot carry).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequest } from '../../src/errors.js';
import {
  environmentToXml,
  identifiableToXml,
  readXmlDocument,
  xmlToEnvironment,
  xmlToIdentifiable,
  type Identifiable,
} from '../../src/interchange/xml/index.js';
import type { Environment } from '../../src/model/types.js';

const NS31 = 'https://admin-shell.io/aas/3/1';
const NS30 = 'https://admin-shell.io/aas/3/0';

/** A submodel with a bit of everything the reader maps differently: text, boolean, base64, list, choice. */
const SUBMODEL = {
  idShort: 'Sm',
  id: 'urn:sm',
  submodelElements: [
    {
      idShort: 'List',
      orderRelevant: false,
      typeValueListElement: 'Blob',
      value: [{ contentType: 'application/octet-stream', value: 'AAEC/w==', modelType: 'Blob' }],
      modelType: 'SubmodelElementList',
    },
    { idShort: 'Text', valueType: 'xs:string', value: ' a\r\nb\rc\td <&> ', modelType: 'Property' },
  ],
  modelType: 'Submodel',
} as Identifiable;

function submodelXml(namespace: string, body: string, rootAttributes = ''): string {
  return `<?xml version="1.0"?><environment xmlns="${namespace}"${rootAttributes}><submodels><submodel>${body}</submodel></submodels></environment>`;
}

/** Runs `action`, expects BadRequest, returns its first detail. */
function refusal(action: () => unknown): { text: string; path?: string } {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof BadRequest, `expected BadRequest, got ${String(error)}`);
    assert.ok(error.details.length > 0, 'a BadRequest with details');
    return error.details[0];
  }
  assert.fail('expected a BadRequest, the call succeeded');
}

describe('AAS XML reader: documents of other tools', () => {
  it('reads prefixed namespaces, any property order, comments, CDATA, a BOM and line-wrapped base64 alike', () => {
    const xml = [
      '\uFEFF<?xml version="1.0" encoding="UTF-8"?>',
      `<!-- written by hand --><aas:submodel xmlns:aas="${NS31}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${NS31} AAS.xsd">`,
      '  <aas:id>urn:sm</aas:id><aas:idShort>Sm</aas:idShort>',
      '  <aas:submodelElements>',
      '    <aas:submodelElementList>',
      '      <aas:typeValueListElement>Blob</aas:typeValueListElement><aas:idShort>List</aas:idShort>',
      '      <aas:orderRelevant> 0 </aas:orderRelevant>',
      '      <aas:value><aas:blob><aas:value>AAEC\n  /w==</aas:value><aas:contentType>application/octet-stream</aas:contentType></aas:blob></aas:value>',
      '    </aas:submodelElementList>',
      '    <property xmlns="' + NS31 + '"><idShort>Text</idShort><valueType>xs:string</valueType>',
      '      <value><![CDATA[ a]]>&#xD;&#10;b&#13;c\td <![CDATA[<&>]]> </value></property>',
      '  </aas:submodelElements>',
      '</aas:submodel>',
    ].join('\n');
    assert.deepStrictEqual(xmlToIdentifiable(xml), SUBMODEL);
  });

  it('reads a V3.0 document as the same JSON as V3.1, and says which version it was', () => {
    const written = identifiableToXml(SUBMODEL, { version: '3.0' });
    assert.match(written, /<submodel xmlns="https:\/\/admin-shell\.io\/aas\/3\/0">/);
    const read = readXmlDocument(written);
    assert.equal(read.version, '3.0');
    assert.equal(read.rootClass, 'Submodel');
    assert.deepStrictEqual(read.value, SUBMODEL);
    assert.equal(readXmlDocument(identifiableToXml(SUBMODEL)).version, '3.1');
  });

  it('keeps CR, tabs and edge whitespace of text exactly (CR as a character reference, since parsers normalize line ends)', () => {
    const xml = identifiableToXml(SUBMODEL);
    assert.ok(xml.includes('<value> a&#xD;\nb&#xD;c\td &lt;&amp;&gt; </value>'), xml);
    // A literal CRLF in a document is a line end, LF, as XML 1.0 §2.11 says.
    const crlf = submodelXml(NS31, '<id>urn:a\r\nb</id>');
    assert.equal((xmlToEnvironment(crlf).submodels ?? [])[0].id, 'urn:a\nb');
  });

  it('reads an empty text element as "" and an empty class element as {}', () => {
    const env = xmlToEnvironment(submodelXml(NS31, '<administration/><id></id>'));
    assert.deepStrictEqual(env, { submodels: [{ administration: {}, id: '', modelType: 'Submodel' }] });
  });

  it('leaves what JSON can still say to the Validator: a missing id, an unknown enumeration value', () => {
    const env = xmlToEnvironment(submodelXml(NS31, '<kind>Sometimes</kind>'));
    assert.deepStrictEqual(env, { submodels: [{ kind: 'Sometimes', modelType: 'Submodel' }] });
  });

  it('accepts a single Identifiable as an Environment, and refuses an Environment where one Identifiable is expected', () => {
    assert.deepStrictEqual(xmlToEnvironment(identifiableToXml(SUBMODEL)), { submodels: [SUBMODEL] } as Environment);
    const detail = refusal(() => xmlToIdentifiable(environmentToXml({ submodels: [SUBMODEL] } as Environment)));
    assert.equal(detail.path, '/environment');
  });
});

describe('AAS XML reader: refusals, each as BadRequest with a location', () => {
  const cases: { name: string; xml: string; path: RegExp | string; text?: RegExp }[] = [
    {
      name: 'billion laughs (entity expansion)',
      xml: `<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n<environment xmlns="${NS31}">&lol2;</environment>`,
      path: 'line 2',
      text: /DOCTYPE/,
    },
    {
      name: 'external entity (XXE)',
      xml: `<!DOCTYPE environment [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><environment xmlns="${NS31}"><submodels><submodel><id>&xxe;</id></submodel></submodels></environment>`,
      path: 'line 1',
      text: /DOCTYPE/,
    },
    { name: 'an undefined entity without a DOCTYPE', xml: submodelXml(NS31, '<id>&xxe;</id>'), path: '/environment/submodels/submodel/id', text: /undefined entity/ },
    { name: 'a bare ampersand', xml: submodelXml(NS31, '<id>a & b</id>'), path: /^line 1, column \d+$/ },
    { name: 'a reference to a non-character', xml: submodelXml(NS31, '<id>&#x1;</id>'), path: '/environment/submodels/submodel/id' },
    { name: 'a control character', xml: submodelXml(NS31, '<id>a\u0001</id>'), path: '/environment/submodels/submodel/id' },
    { name: 'not XML at all', xml: 'hello', path: /^line 1, column 1$/, text: /not well-formed/ },
    { name: 'JSON', xml: '{"submodels": []}', path: /^line 1/ },
    { name: 'an empty body', xml: '  ', path: '/' },
    { name: 'an unclosed element', xml: `<environment xmlns="${NS31}"><submodels></environment>`, path: /^line 1, column \d+$/ },
    { name: 'two root elements', xml: `<environment xmlns="${NS31}"/><environment xmlns="${NS31}"/>`, path: /./ },
    { name: 'a foreign namespace', xml: `<environment xmlns="https://admin-shell.io/aas/2/0"/>`, path: '/environment', text: /namespace/ },
    { name: 'no namespace', xml: '<environment><submodels/></environment>', path: '/environment', text: /\(none\)/ },
    { name: 'an unknown root', xml: `<shell xmlns="${NS31}"/>`, path: '/shell', text: /root element/ },
    { name: 'an unknown element', xml: submodelXml(NS31, '<id>urn:x</id><colour>red</colour>'), path: '/environment/submodels/submodel/colour', text: /unknown element <colour>/ },
    {
      name: 'an unknown element deep down, with its position',
      xml: submodelXml(NS31, '<id>x</id><submodelElements><property><idShort>a</idShort></property><property><modelType>Property</modelType></property></submodelElements>'),
      path: '/environment/submodels/submodel/submodelElements/property[2]/modelType',
    },
    { name: 'a V3.0 element in a V3.1 document', xml: submodelXml(NS31, `<id xmlns="${NS30}">x</id>`), path: '/environment/submodels/submodel/id', text: /namespace/ },
    { name: 'an undeclared prefix', xml: submodelXml(NS31, '<q:id>x</q:id>'), path: /./ },
    {
      name: 'a boolean that is none',
      xml: submodelXml(NS31, '<id>x</id><submodelElements><submodelElementList><orderRelevant>yes</orderRelevant></submodelElementList></submodelElements>'),
      path: '/environment/submodels/submodel/submodelElements/submodelElementList/orderRelevant',
      text: /xs:boolean/,
    },
    { name: 'text where elements belong', xml: submodelXml(NS31, '<semanticId>urn:x</semanticId>'), path: '/environment/submodels/submodel/semanticId' },
    { name: 'an element where text belongs', xml: submodelXml(NS31, '<id><b>x</b></id>'), path: '/environment/submodels/submodel/id/b' },
    { name: 'a wrong list item', xml: submodelXml(NS31, '<supplementalSemanticIds><key/></supplementalSemanticIds>'), path: '/environment/submodels/submodel/supplementalSemanticIds/key' },
    {
      name: 'a choice without its class',
      xml: submodelXml(NS31, '<embeddedDataSpecifications><embeddedDataSpecification><dataSpecificationContent/></embeddedDataSpecification></embeddedDataSpecifications>'),
      path: '/environment/submodels/submodel/embeddedDataSpecifications/embeddedDataSpecification/dataSpecificationContent',
    },
    { name: 'a property twice', xml: submodelXml(NS31, '<id>a</id><id>b</id>'), path: '/environment/submodels/submodel/id[2]', text: /more than once/ },
    { name: 'an attribute', xml: submodelXml(NS31, '<id kind="x">a</id>'), path: '/environment/submodels/submodel/id/@kind' },
    { name: 'an element named like a JS prototype key', xml: submodelXml(NS31, '<__proto__/>'), path: /./ },
  ];
  for (const c of cases) {
    it(`refuses ${c.name}`, () => {
      const detail = refusal(() => xmlToEnvironment(c.xml));
      if (typeof c.path === 'string') assert.equal(detail.path, c.path, detail.text);
      else assert.match(detail.path ?? '', c.path, detail.text);
      if (c.text) assert.match(detail.text, c.text);
    });
  }

  it('refuses nesting deeper than it reads, without exhausting the stack', () => {
    const depth = 5000;
    const xml = submodelXml(NS31, `<id>x</id><submodelElements>${'<submodelElementCollection><value>'.repeat(depth)}${'</value></submodelElementCollection>'.repeat(depth)}</submodelElements>`);
    refusal(() => xmlToEnvironment(xml));
  });

  it('reads nesting a hundred collections deep', () => {
    const depth = 100;
    const xml = submodelXml(NS31, `<id>x</id><submodelElements>${'<submodelElementCollection><value>'.repeat(depth)}<capability/>${'</value></submodelElementCollection>'.repeat(depth)}</submodelElements>`);
    let element = (xmlToEnvironment(xml).submodels ?? [])[0].submodelElements?.[0] as { value?: unknown[] } | undefined;
    for (let i = 1; i < depth; i++) element = element?.value?.[0] as typeof element;
    assert.deepStrictEqual(element?.value, [{ modelType: 'Capability' }]);
  });
});

describe('AAS XML writer: refusals', () => {
  it('refuses V3.0 for what only V3.1 has, naming every place, and writes the same model as V3.1', () => {
    const env = {
      assetAdministrationShells: [{ id: 'urn:aas', assetInformation: { assetKind: 'Role' }, modelType: 'AssetAdministrationShell' }],
      submodels: [
        {
          id: 'x'.repeat(2001),
          submodelElements: [
            { idShort: 'my-blob', modelType: 'Blob' },
            { idShort: 'Rel', first: { type: 'ExternalReference', keys: [{ type: 'GlobalReference', value: 'urn:a' }] }, modelType: 'RelationshipElement' },
            { idShort: 'Ent', modelType: 'Entity' },
          ],
          modelType: 'Submodel',
        },
      ],
    } as unknown as Environment;
    let error: unknown;
    try {
      environmentToXml(env, { version: '3.0' });
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof BadRequest);
    assert.deepEqual(error.details.map((d) => d.path).sort(), [
      '$.assetAdministrationShells[0].assetInformation.assetKind',
      '$.submodels[0].id',
      '$.submodels[0].submodelElements[0].contentType',
      '$.submodels[0].submodelElements[0].idShort',
      '$.submodels[0].submodelElements[1].second',
      '$.submodels[0].submodelElements[2].entityType',
    ]);
    assert.deepStrictEqual(xmlToEnvironment(environmentToXml(env)), env);
  });

  it('refuses what XML cannot carry or the metamodel does not have, with the JSON path', () => {
    const loneSurrogate = { ...SUBMODEL, idShort: undefined, category: 'a\uD800b' } as unknown as Identifiable;
    assert.equal(refusal(() => identifiableToXml(JSON.parse(JSON.stringify(loneSurrogate)))).path, '$.category');
    const unknown = { ...SUBMODEL, colour: 'red' } as unknown as Identifiable;
    assert.equal(refusal(() => identifiableToXml(unknown)).path, '$.colour');
    const wrongType = { id: 'urn:x', submodelElements: [{ modelType: 'Shell' }], modelType: 'Submodel' } as unknown as Identifiable;
    assert.equal(refusal(() => identifiableToXml(wrongType)).path, '$.submodelElements[0].modelType');
    const notIdentifiable = { modelType: 'Property', valueType: 'xs:int' } as unknown as Identifiable;
    assert.equal(refusal(() => identifiableToXml(notIdentifiable)).path, '$.modelType');
  });
});
