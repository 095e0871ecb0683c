import { segment, type Unit } from '../../src/extract/segment';
import { splitSentences } from '../../src/extract/sentences';

const texts = (text: string, units: Unit[]) => units.map((u) => text.slice(u.start, u.end));

describe('sentences', () => {
  const split = (s: string) => splitSentences(s, 0, s.length).map((x) => s.slice(x.start, x.end));

  test('abbreviations and references do not end a sentence', () => {
    const s = 'See Sec. 9.2(b) and Art. 28(3) GDPR, i.e. the U.S. rules, as Acme Inc. agreed with No. 5 Ltd. on Jan. 3. The next sentence starts here.';
    expect(split(s)).toEqual([
      'See Sec. 9.2(b) and Art. 28(3) GDPR, i.e. the U.S. rules, as Acme Inc. agreed with No. 5 Ltd. on Jan. 3.',
      'The next sentence starts here.',
    ]);
  });

  test('a full stop before a lower-case word or a number is not a boundary', () => {
    expect(split('Fees are e.g. monthly. 3 copies are kept.')).toEqual(['Fees are e.g. monthly. 3 copies are kept.']);
  });

  test('closing quotes and brackets stay with their sentence', () => {
    expect(split('It is called the "Agreement." The parties agree.')).toEqual(['It is called the "Agreement."', 'The parties agree.']);
  });
});

describe('segmentation', () => {
  test('numbered sections, run-in headings and definitions', () => {
    const text = '9. DATA PROTECTION\n\n9.1 Security Incidents. Supplier shall notify Customer. It shall cooperate.\n\n"Security Incident" means any breach of security.';
    const units = segment(text);
    expect(units.map((u) => [u.kind, text.slice(u.start, u.end)])).toEqual([
      ['heading', 'DATA PROTECTION'],
      ['heading', 'Security Incidents.'],
      ['sentence', 'Supplier shall notify Customer.'],
      ['sentence', 'It shall cooperate.'],
      ['definition', '"Security Incident" means any breach of security.'],
    ]);
    expect(units[2].marker).toBe('9.1');
    expect(units[2].heading).toBe('Security Incidents');
    expect(units[2].section).toBe('DATA PROTECTION');
  });

  test('lettered sub-clauses carry the lead-in that introduces them, nested ones their parents too', () => {
    const text = 'Upon discovery of a Security Incident, Supplier shall:\n\n(a) notify Customer within 24 hours;\n\n(b) deliver a report:\n\n(i) describing the cause; and\n\n(ii) listing remediation.\n\nThis paragraph ends the list.';
    const units = segment(text);
    const items = units.filter((u) => u.kind === 'item');
    expect(texts(text, items)).toEqual(['notify Customer within 24 hours;', 'deliver a report:', 'describing the cause; and', 'listing remediation.']);
    expect(items.map((u) => u.marker)).toEqual(['(a)', '(b)', '(i)', '(ii)']);
    expect(items[0].leadIn.map((s) => text.slice(s.start, s.end))).toEqual(['Upon discovery of a Security Incident, Supplier shall:']);
    expect(items[2].leadIn.map((s) => text.slice(s.start, s.end))).toEqual(['Upon discovery of a Security Incident, Supplier shall:', 'deliver a report:']);
    expect(units[units.length - 1]).toMatchObject({ kind: 'sentence', leadIn: [] });
  });

  test('"(i)" after "(h)" is a letter, not a roman numeral', () => {
    const letters = 'abcdefghi'.split('').map((c) => `(${c}) item ${c};`).join('\n\n');
    const text = `The following apply:\n\n${letters}`;
    const items = segment(text).filter((u) => u.kind === 'item');
    expect(items).toHaveLength(9);
    expect(items[8].leadIn).toHaveLength(1);
  });

  test('hard-wrapped text: a paragraph is joined across its lines, a new section starts a new block', () => {
    const text = [
      '8.1 The Provider shall notify the Customer of any Security Incident',
      'without undue delay and in any event within twenty-four (24) hours after',
      'becoming aware of it.',
      '8.2 The Provider shall keep the Customer informed of the investigation',
      'and its outcome until the Security Incident is resolved to the Customer',
      'reasonable satisfaction.',
    ].join('\n');
    const units = segment(text);
    expect(units.map((u) => u.marker)).toEqual(['8.1', '8.2']);
    expect(text.slice(units[0].start, units[0].end)).toMatch(/^The Provider shall notify[\s\S]*becoming aware of it\.$/);
  });

  test('an ALL-CAPS paragraph is prose, not a heading', () => {
    const text = 'LIMITATION OF LIABILITY\n\nIN NO EVENT SHALL EITHER PARTY\'S AGGREGATE LIABILITY ARISING OUT OF THIS AGREEMENT EXCEED THE FEES PAID IN THE TWELVE (12) MONTHS PRECEDING THE CLAIM.';
    expect(segment(text).map((u) => u.kind)).toEqual(['heading', 'sentence']);
  });

  test('a sentence that continues the one before ("Such notice ...") has it as context', () => {
    const text = 'Supplier shall notify Customer of a Security Incident. See Section 4. Such notice shall be given within 48 hours.';
    const last = segment(text).at(-1)!;
    expect(last.leadIn.map((s) => text.slice(s.start, s.end))).toEqual(['Supplier shall notify Customer of a Security Incident.', 'See Section 4.']);
  });

  test('table rows read under their header row', () => {
    const text = 'Service levels:\n\n| Severity | Response Time |\n| Severity 1 | 15 minutes |\n| Severity 2 | 1 hour |';
    const rows = segment(text).filter((u) => u.kind === 'row');
    expect(rows).toHaveLength(3);
    expect(rows[1].leadIn.map((s) => text.slice(s.start, s.end))).toEqual(['| Severity | Response Time |']);
  });

  test('every unit is a span of the text with no surrounding white space', () => {
    const text = '  1. Term\n\n  1.1  This Agreement starts today.  \n\n(a)   first;\n';
    for (const u of segment(text)) {
      const s = text.slice(u.start, u.end);
      expect(s).toBe(s.trim());
      expect(s.length).toBeGreaterThan(0);
    }
  });
});

describe('numbered lists after a lead-in', () => {
  test('"1." items under "... shall:" are items with the lead-in', () => {
    const text = 'On termination, Business Associate shall:\n\n1. return all PHI to Covered Entity; or\n\n2. destroy all PHI.';
    const items = segment(text).filter((u) => u.kind === 'item');
    expect(items.map((u) => [u.marker, u.leadIn.map((s) => text.slice(s.start, s.end))])).toEqual([
      ['1.', ['On termination, Business Associate shall:']],
      ['2.', ['On termination, Business Associate shall:']],
    ]);
  });

  test('"agree as follows:" followed by "1. DEFINITIONS" is still a section heading', () => {
    const text = 'NOW, THEREFORE, the parties agree as follows:\n\n1. DEFINITIONS\n\n1.1 "Services" means the services.';
    expect(segment(text).map((u) => u.kind)).toEqual(['sentence', 'heading', 'definition']);
  });
});

test('bullets of another glyph under a bullet are its sub-items, with its lead-in', () => {
  const text = '• Each notice must include:\n\n- the nature of the incident;\n\n- the data affected.\n\n• Vendor shall keep logs.';
  const items = segment(text).filter((u) => u.kind === 'item');
  expect(items.map((u) => [text.slice(u.start, u.end), u.leadIn.map((s) => text.slice(s.start, s.end))])).toEqual([
    ['Each notice must include:', []],
    ['the nature of the incident;', ['Each notice must include:']],
    ['the data affected.', ['Each notice must include:']],
    ['Vendor shall keep logs.', []],
  ]);
});
