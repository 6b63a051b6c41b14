import { describe, expect, it } from 'vitest';
import { CBEFF_FORMAT_TYPE, CBEFF_NAMESPACE, FINGER_SUBTYPE, faceBirs, fingerBirs, parseCbeff, parseXml, writeCbeff, type CbeffBir } from '../../../models/formats/cbeff/index.js';
import { CbeffError } from '../../../models/formats/errors.js';
import { faceImageFromJpeg, fingerImageRecordFromPixels, readFaceImageRecord, readFingerImageRecord, writeFingerImageRecord } from '../../../models/formats/iso/index.js';
import { sameBytes, syntheticFinger } from './grey.js';

const finger = (position: number): CbeffBir => {
  const rec = fingerImageRecordFromPixels([{ pixels: syntheticFinger(64, 64, position), width: 64, height: 64, position }], { compression: 'raw' });
  return {
    format: { organization: 'Mosip', type: CBEFF_FORMAT_TYPE.fingerImage },
    creationDate: '2026-11-23T20:00:00.000Z',
    type: 'Finger',
    subtype: FINGER_SUBTYPE[position]!,
    level: 'Raw',
    purpose: 'Enroll',
    quality: { score: 80 + position, algorithm: { organization: 'NIST', type: 'NFIQ2' } },
    index: `00000000-0000-4000-8000-00000000000${position}`,
    bdb: writeFingerImageRecord(rec),
  };
};

describe('CBEFF XML (ISO/IEC 19785-3 patron format)', () => {
  it('writes one BIR per biometric and parses it back identical', () => {
    const birs = [finger(2), finger(7), { ...finger(1), quality: { score: 55 }, index: undefined as never }];
    delete (birs[2] as Partial<CbeffBir>).index;
    for (const base64url of [false, true]) {
      const xml = writeCbeff(birs, { base64url });
      expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<BIR xmlns="http://standards.iso.org/iso-iec/19785/-3/ed-2/">')).toBe(true);
      expect(xml.match(/<BDB>/g)).toHaveLength(3);
      const back = parseCbeff(xml);
      expect(back.map((b) => ({ ...b, bdb: b.bdb.length }))).toEqual(birs.map((b) => ({ ...b, bdb: b.bdb.length })));
      back.forEach((b, i) => expect(sameBytes(b.bdb, birs[i]!.bdb)).toBe(true));
      expect(readFingerImageRecord(back[1]!.bdb).views[0]!.position).toBe(7);
    }
  });

  it('parses a hand-written packet with prefixes, comments, entities and wrapped base64', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<!-- registration packet -->
<c:BIR xmlns:c="${CBEFF_NAMESPACE}">
  <c:BIRInfo><c:Integrity>false</c:Integrity></c:BIRInfo>
  <c:BIR>
    <c:Version><c:Major>1</c:Major><c:Minor>1</c:Minor></c:Version>
    <c:BDBInfo>
      <c:Format><c:Organization>Mosip &amp; Co</c:Organization><c:Type>8</c:Type></c:Format>
      <c:CreationDate>2019-10-15T12:17:12.556Z</c:CreationDate>
      <c:Type>Face</c:Type>
      <c:Subtype></c:Subtype>
      <c:Level>Raw</c:Level>
      <c:Purpose>Enroll</c:Purpose>
      <c:Quality><c:Score>90</c:Score></c:Quality>
    </c:BDBInfo>
    <c:BDB>
      RkFD
      AA==
    </c:BDB>
  </c:BIR>
</c:BIR>`;
    const [bir] = parseCbeff(xml);
    expect(bir).toEqual({
      format: { organization: 'Mosip & Co', type: 8 },
      creationDate: '2019-10-15T12:17:12.556Z',
      type: 'Face',
      subtype: '',
      level: 'Raw',
      purpose: 'Enroll',
      quality: { score: 90 },
      bdb: Uint8Array.from([0x46, 0x41, 0x43, 0x00]),
    });
  });

  it('escapes markup characters in values', () => {
    const b = { ...finger(3), format: { organization: '<A&B> "q" \'s\'', type: 7 } };
    expect(parseCbeff(writeCbeff([b]))[0]!.format.organization).toBe('<A&B> "q" \'s\'');
  });

  it('rejects malformed documents with typed errors', () => {
    const good = writeCbeff([finger(2)]);
    const cases = [
      '<!DOCTYPE x [<!ENTITY a "b">]><BIR/>',
      good.replace('</BDBInfo>', '</BDBinfo>'),
      good.replace('<Level>Raw</Level>', '<Level>Cooked</Level>'),
      good.replace(/<BDB>[^<]*<\/BDB>/, '<BDB>!!notbase64!!</BDB>'),
      good.replace('<Purpose>Enroll</Purpose>', ''),
      good.replace('<Type>Finger</Type>', '<Type>Finger</Type><Surprise/>'),
      good + '<extra/>',
      '<BIR><BDB>&bogus;</BDB></BIR>',
      '',
    ];
    for (const xml of cases) {
      expect(() => parseCbeff(xml), xml.slice(0, 60)).toThrow(CbeffError);
    }
    expect(() => writeCbeff([{ ...finger(2), level: 'Cooked' as never }])).toThrow(expect.objectContaining({ code: 'CBEFF_INVALID_INPUT' }));
  });

  it('parses nested XML with attributes and CDATA', () => {
    const x = parseXml(`<a k="v &lt; w" j='2'><b/><![CDATA[<raw>]]><c>t&#x41;&#66;</c></a>`);
    expect(x.attrs).toEqual({ k: 'v < w', j: '2' });
    expect(x.text).toBe('<raw>');
    expect(x.children.map((c) => c.name)).toEqual(['b', 'c']);
    expect(x.children[1]!.text).toBe('tAB');
  });
});

describe('BIRs from ISO records', () => {
  it('makes one finger BIR per view (single-view ISO record as BDB) and one face BIR per image', () => {
    const rec = fingerImageRecordFromPixels(
      [
        { pixels: syntheticFinger(64, 64, 1), width: 64, height: 64, position: 1, quality: 71 },
        { pixels: syntheticFinger(64, 64, 6), width: 64, height: 64, position: 6 },
      ],
      { compression: 'wsq' },
    );
    const birs = fingerBirs(rec, { creationDate: '2026-11-23T10:00:00Z', qualityAlgorithm: { organization: 'kiosk', type: 'nfiq2-like' } });
    expect(birs.map((b) => [b.subtype, b.quality?.score])).toEqual([
      ['Right Thumb', 71],
      ['Left Thumb', undefined],
    ]);
    const jpeg = Uint8Array.from(Buffer.from('FFD8FFC0000B08001000200101110000FFD9', 'hex'));
    const face = faceBirs({ images: [faceImageFromJpeg(jpeg)] }, { creationDate: '2026-11-23T10:00:00Z', quality: 88 });
    const back = parseCbeff(writeCbeff([...birs, ...face]));
    expect(back).toHaveLength(3);
    expect(readFingerImageRecord(back[1]!.bdb).views.map((v) => v.position)).toEqual([6]);
    expect(back[2]!).toMatchObject({ type: 'Face', format: { type: CBEFF_FORMAT_TYPE.faceImage }, quality: { score: 88 } });
    expect(readFaceImageRecord(back[2]!.bdb).images[0]).toMatchObject({ width: 32, height: 16 });
  });
});
