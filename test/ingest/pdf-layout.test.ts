import { bodyLineRanges, isPageNumberLine, linesOfText, rebuildPdfText, spliceTables } from '../../src/ingest/pdf-layout';

describe('page furniture', () => {
  test('bare page numbers in their usual forms', () => {
    for (const l of ['12', 'Page 3', 'Page 3 of 10', '- 4 -', 'iv', '3 / 12']) expect(isPageNumberLine(l)).toBe(true);
    for (const l of ['12 months', 'Page limits apply', '4.2 Notice']) expect(isPageNumberLine(l)).toBe(false);
  });

  test('a line repeated at the top or bottom of most pages is a running header or footer', () => {
    const body = [['The Supplier shall', 'perform the Services.'], ['Fees are payable', 'monthly in arrears.'], ['This Agreement is', 'governed by Irish law.']];
    const pages = body.map((b, i) => ['ACME MSA - Confidential', ...b, `Page ${i + 1} of 3`]);
    expect(bodyLineRanges(pages)).toEqual([[1, 3], [1, 3], [1, 3]]);
  });

  test('a heading that happens to open two pages of ten is kept', () => {
    const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
    const pages = words.map((w, i) => [i < 2 ? '1. DEFINITIONS' : `The ${w} clause opens this page.`, `Then the ${w} text goes on.`]);
    expect(bodyLineRanges(pages).every(([first]) => first === 0)).toBe(true);
  });
});

describe('rebuilding running text', () => {
  const page1 = ['MASTER AGREEMENT - Confidential', 'The Supplier shall notify the Customer of any Security Incident within', 'seventy-two (72) hours after becoming aware of it, and shall provide all', 'Page 1 of 2'];
  const page2 = ['MASTER AGREEMENT - Confidential', 'reasonable cooperation.', '9.2 The Customer may request a root-cause notifi-', 'cation report.', 'Page 2 of 2'];

  test('a sentence split by a page break and its furniture reads as one sentence', () => {
    const { text } = rebuildPdfText([page1.join('\n'), page2.join('\n')]);
    expect(text).toContain('within seventy-two (72) hours after becoming aware of it, and shall provide all reasonable cooperation.');
    expect(text).not.toMatch(/Confidential|Page \d/);
  });

  test('pages point at where each page body starts in the rebuilt text', () => {
    const { text, pages } = rebuildPdfText([page1.join('\n'), page2.join('\n')]);
    expect(pages).toHaveLength(2);
    expect(text.slice(pages[1].start, pages[1].start + 23)).toBe('reasonable cooperation.');
    expect(pages[0].end).toBe(pages[1].start);
    expect(pages[1].end).toBe(text.length);
  });

  test('a word broken by a hyphen at a line end is joined; a numbered section starts a paragraph', () => {
    const { text } = rebuildPdfText([page1.join('\n'), page2.join('\n')]);
    expect(text).toContain('\n\n9.2 The Customer may request a root-cause notification report.');
  });

  test('a hyphen at a line end is kept when the document spells the compound with it', () => {
    const lines = ['Each third-party auditor engaged by the Customer shall sign a non-disclosure', 'agreement. Any third-', 'party claim is handled under Section 9.'];
    expect(rebuildPdfText([lines.join('\n')]).text).toContain('Any third-party claim');
  });

  test('"seventy-" at a line end keeps its hyphen', () => {
    const lines = ['The Supplier shall notify the Customer of any Security Incident within seventy-', 'two (72) hours after becoming aware of it.'];
    expect(rebuildPdfText([lines.join('\n')]).text).toContain('within seventy-two (72) hours');
  });

  test('"(10)" at the start of a line after "ten" continues the sentence', () => {
    const lines = ['The Supplier shall deliver a root cause analysis to the Customer within ten', '(10) business days after the incident is contained.'];
    expect(rebuildPdfText([lines.join('\n')]).text).toBe(lines.join(' '));
  });
});

test('a ruled table read cell by cell becomes one line per row', () => {
  const page = ['The response times are:', 'Severity Response', 'Severity 1 Active intrusion or', 'ransomware 15 minutes', 'Severity 2 Probable', 'compromise 30 minutes', 'End of table.'].join('\n');
  const tables = [[['Severity', 'Response'], ['Severity 1 Active intrusion or\nransomware', '15 minutes'], ['Severity 2 Probable\ncompromise', '30 minutes']]];
  expect(spliceTables(linesOfText(page), tables).map((l) => l.text)).toEqual([
    'The response times are:',
    '| Severity | Response |',
    '| Severity 1 Active intrusion or ransomware | 15 minutes |',
    '| Severity 2 Probable compromise | 30 minutes |',
    'End of table.',
  ]);
});

test('a table whose words are not found in order is left alone', () => {
  const page = 'Severity Response\nsomething else entirely';
  expect(spliceTables(linesOfText(page), [[['Severity', 'Response'], ['1', '15 minutes']]]).map((l) => l.text).join('\n')).toBe(page);
});

test('with line positions, extra space between lines is a paragraph break even after a full line', () => {
  const at = (text: string, y: number) => ({ text, y, size: 10 });
  const lines = [
    at('(c) commercial general liability insurance with limits of not less than $1 million per occurrence.', 100),
    at('Consultant will provide certificates of insurance on request. Nothing in this Agreement affects the', 118),
    at('terms of any cyber insurance policy.', 130),
    at('The next paragraph starts after a gap and runs on to the end of the line like the others do', 148),
    at('and ends here.', 160),
    at('Another one.', 178),
  ];
  expect(rebuildPdfText([lines]).text.split('\n\n')).toEqual([
    lines[0].text,
    `${lines[1].text} ${lines[2].text}`,
    `${lines[3].text} ${lines[4].text}`,
    lines[5].text,
  ]);
});
