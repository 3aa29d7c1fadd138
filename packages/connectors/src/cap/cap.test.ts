import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AppError, toCapDateTime, type CapAlert } from '@watchfloor/core';
import { CapValidator, parseCapDocument, readCapAlert, writeAtomFeed, writeCapXml, xmlWellFormedProblems } from './index';

const DIR = fileURLToPath(new URL('../../../../data/cap/', import.meta.url));
const validator = new CapValidator(readFileSync(`${DIR}CAP-v1.2.xsd`, 'utf8'));
const EXAMPLES = {
  A1: 'cap12_oasis_example_A1_homeland_security.xml',
  A2: 'cap12_oasis_example_A2_severe_thunderstorm.xml',
  A3: 'cap12_oasis_example_A3_earthquake_update.xml',
  A4: 'cap12_oasis_example_A4_amber_alert_multilingual.xml',
} as const;
const example = (k: keyof typeof EXAMPLES) => readFileSync(`${DIR}${EXAMPLES[k]}`, 'utf8');

async function invalid(xml: string): Promise<AppError> {
  const err = await parseCapDocument(xml, validator).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe('invalid_cap');
  return err as AppError;
}

describe('reading CAP 1.2', () => {
  it('reads the four OASIS examples (CAP 1.2, Appendix A)', async () => {
    const a1 = await parseCapDocument(example('A1'), validator);
    expect(a1).toMatchObject({ identifier: '43b080713727', sender: 'hsas@dhs.gov', sent: '2003-04-02T14:39:01-05:00', status: 'Actual', msgType: 'Alert', scope: 'Public' });
    expect(a1.info).toHaveLength(1);
    expect(a1.info[0]).toMatchObject({ language: 'en-US', category: ['Security'], urgency: 'Immediate', severity: 'Severe', certainty: 'Likely', parameter: [{ valueName: 'HSAS', value: 'ORANGE' }] });
    expect(a1.info[0]!.resource[0]).toEqual({ resourceDesc: 'Image file (GIF)', mimeType: 'image/gif', uri: 'http://www.dhs.gov/dhspublic/getAdvisoryImage' });
    expect(a1.info[0]!.area).toEqual([{ areaDesc: 'U.S. nationwide and interests worldwide', polygon: [], circle: [], geocode: [] }]);

    const a2 = await parseCapDocument(example('A2'), validator);
    expect(a2.identifier).toBe('KSTO1055887203');
    expect(a2.info[0]!.responseType).toEqual(['Shelter']);
    expect(a2.info[0]!.expires).toBe('2003-06-17T16:00:00-07:00');
    expect(a2.info[0]!.area[0]!.polygon).toEqual(['38.47,-120.14 38.34,-119.95 38.52,-119.74 38.62,-119.89 38.47,-120.14']);
    expect(a2.info[0]!.area[0]!.geocode.map((g) => g.value)).toEqual(['006109', '006009', '006003']);

    const a3 = await parseCapDocument(example('A3'), validator);
    expect(a3).toMatchObject({ identifier: 'TRI13970876.2', msgType: 'Update', references: 'trinet@caltech.edu,TRI13970876.1,2003-06-11T20:30:00-07:00' });
    expect(a3.info[0]!.language).toBe('en-US'); // CAP's default when the element is absent
    expect(a3.info[0]!.parameter).toHaveLength(5);
    expect(a3.info[0]!.area[0]!.circle).toEqual(['32.9525,-115.5527 0']);

    const a4 = await parseCapDocument(example('A4'), validator);
    expect(a4.identifier).toBe('KAR0-0306112239-SW');
    expect(a4.source).toBe('SW');
    expect(a4.info.map((i) => i.language)).toEqual(['en-US', 'es-US']);
    expect(a4.info[1]!.event).toBe('Abducción de Niño');
    expect(a4.info[1]!.area[0]!.areaDesc).toBe('condado de Los Ángeles');
  });

  it('refuses a document the schema refuses, with the validator line', async () => {
    const xml = example('A1').replace('<status>Actual</status>', '<status>Real</status>');
    const err = await invalid(xml);
    const problems = (err.details as { problems: { line: number; message: string }[] }).problems;
    expect(problems[0]!.line).toBe(6);
    expect(problems[0]!.message).toMatch(/status.*Real/);
    expect(err.message).toMatch(/^The document is not valid CAP 1\.2: line 6: /);
  });

  it('refuses elements out of the order of the schema, a missing one, and a date in UTC written with Z', async () => {
    const swapped = example('A1').replace('<sender>hsas@dhs.gov</sender>\n    <sent>2003-04-02T14:39:01-05:00</sent>', '<sent>2003-04-02T14:39:01-05:00</sent>\n    <sender>hsas@dhs.gov</sender>');
    expect((await invalid(swapped)).message).toMatch(/sent.*not expected/);
    expect((await invalid(example('A1').replace('<scope>Public</scope>', ''))).message).toMatch(/not expected|missing/);
    expect((await invalid(example('A1').replace('2003-04-02T14:39:01-05:00', '2003-04-02T19:39:01Z'))).message).toMatch(/sent/);
  });

  it('refuses text that is not XML, the wrong namespace, and a DOCTYPE', async () => {
    expect((await invalid('this is not xml')).message).toMatch(/line 1/);
    expect((await invalid(example('A1').slice(0, 400))).message).toMatch(/not valid CAP/);
    expect((await invalid(example('A1').replace('urn:oasis:names:tc:emergency:cap:1.2', 'urn:oasis:names:tc:emergency:cap:1.1'))).message).toMatch(/No matching global declaration/);
    expect((await invalid(example('A1').replace(' xmlns = "urn:oasis:names:tc:emergency:cap:1.2"', ''))).message).toMatch(/No matching global declaration/);
    const bomb = `<?xml version="1.0"?>\n<!DOCTYPE alert [<!ENTITY a "aaaaaaaa">]>\n${example('A1').split('\n').slice(1).join('\n')}`;
    expect((await invalid(bomb)).message).toMatch(/line 2: a DOCTYPE is not allowed/);
  });

  it('reads a CAP prefix the same as the default namespace', async () => {
    const prefixed = example('A3').replace(/<(\/?)(\w+)/g, '<$1cap:$2').replace('xmlns =', 'xmlns:cap =');
    const a = await parseCapDocument(prefixed, validator);
    expect(a).toEqual(await parseCapDocument(example('A3'), validator));
  });
});

describe('writing CAP 1.2', () => {
  it('writes the OASIS examples back as valid CAP that reads the same', async () => {
    for (const k of ['A1', 'A2', 'A3', 'A4'] as const) {
      const alert = readCapAlert(example(k));
      const xml = writeCapXml(alert);
      expect(await validator.problems(xml), k).toEqual([]);
      expect(readCapAlert(xml), k).toEqual(alert);
    }
    const broken = writeCapXml({ ...readCapAlert(example('A1')), status: 'Real' as never });
    expect(await validator.problemsOfMany([writeCapXml(readCapAlert(example('A2'))), broken])).toMatchObject([{ document: 1, line: 6 }]);
  });

  it('escapes text and writes dates with an offset', async () => {
    const sent = toCapDateTime(new Date('2026-11-28T03:00:00Z'));
    expect(sent).toBe('2026-11-28T10:00:00+07:00');
    const alert: CapAlert = {
      identifier: 'WF-1',
      sender: 'ioc-86@watchfloor',
      sent,
      status: 'Actual',
      msgType: 'Alert',
      scope: 'Public',
      code: [],
      info: [
        {
          language: 'vi-VN',
          category: ['Met'],
          event: 'Triều cường & ngập <sâu>',
          responseType: ['Prepare'],
          urgency: 'Expected',
          severity: 'Severe',
          certainty: 'Likely',
          eventCode: [],
          expires: toCapDateTime(new Date('2026-11-29T03:00:00Z')),
          headline: 'Cảnh báo "triều cường" ]]> tại Trà Vinh',
          parameter: [],
          resource: [],
          area: [{ areaDesc: 'Phường Trà Vinh', polygon: ['9.9,106.3 9.95,106.3 9.95,106.36 9.9,106.3'], circle: [], geocode: [{ valueName: 'VN-ADMIN', value: '29242' }] }],
        },
      ],
    };
    const xml = writeCapXml(alert);
    expect(xml).toContain('<event>Triều cường &amp; ngập &lt;sâu&gt;</event>');
    expect(xml).toContain('<expires>2026-11-29T10:00:00+07:00</expires>');
    expect(await validator.problems(xml)).toEqual([]);
    expect(readCapAlert(xml)).toEqual(alert);
  });

  it('writes an Atom feed with one entry per alert', async () => {
    const atom = writeAtomFeed({
      id: 'urn:watchfloor:cap:86',
      title: 'Cảnh báo & thông báo',
      selfUrl: 'http://ioc.example/api/cap/alerts.atom',
      updated: '2026-11-28T03:00:00Z',
      author: 'IOC',
      entries: [
        { id: 'urn:watchfloor:cap:86:1', title: 'A <b>', updated: '2026-11-28T03:00:00Z', capUrl: 'http://ioc.example/api/cap/alerts/1.xml', categories: ['Met'] },
        { id: 'urn:watchfloor:cap:86:2', title: 'B', updated: '2026-11-28T03:00:00Z', capUrl: 'http://ioc.example/api/cap/alerts/2.xml', summary: 'x' },
      ],
    });
    expect(await xmlWellFormedProblems(atom)).toEqual([]);
    expect(await xmlWellFormedProblems('<feed><entry></feed>')).toMatchObject([{ line: 1 }]);
    expect(atom.match(/<entry>/g)).toHaveLength(2);
    expect(atom).toContain('<title>A &lt;b&gt;</title>');
    expect(atom).toContain('<link rel="alternate" type="application/cap+xml" href="http://ioc.example/api/cap/alerts/1.xml"');
  });
});
