import fc from 'fast-check';

/**
 * The inputs the property suites throw at the reader: any string at all, and
 * strings built from the words, numbers, markers and punctuation contracts are
 * made of, so that the rules and normalizers are reached, not just the
 * "nothing matched" path.
 */

/** Any UTF-16 code unit, lone surrogates and control characters included. */
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

/** Characters that mean something to the reader: white space of every kind, markers, quotes, the engine's own value markers. */
const specialChar = fc.constantFrom(
  '\n', '\r', '\r\n', '\f', '\t', '\v', '\0', '\u0085', '\u00a0', '\u2028', '\u2029', '\u202f', '\u3000', '\uFEFF', '\u200b', '\u200e', '\u202e',
  '\u2004', '\u2005', '\u2008', '\u2009', // the engine marks durations and money with these
  '"', '“', '”', '‘', '’', "'", '(', ')', '[', ']', '|', '.', ';', ':', ',', '!', '?', '-', '–', '—', '•', '§', '%', '$', '€', '£', '¥', '₹',
  '\ud83d\ude00', '\ud800', '\udfff', 'e\u0301', 'ﬁ', 'İ', 'ß',
);

/** Fragments of contract language: clause words, numbers in words and digits, amounts, markers. */
const legalFragment = fc.constantFrom(
  'The Supplier shall notify the Customer', ' within ', 'seventy-two (72) hours', '72 hours', '48-hour', 'five (5) Business Days', 'one (1) calendar month',
  'without undue delay', 'after becoming aware of', ' a Security Incident', 'Personal Data Breach', 'Customer Data', 'Processor', 'Controller',
  "In no event shall either party's aggregate liability exceed", ' the greater of ', 'USD 2,000,000', '$5 million', 'EUR 500k', '£1m', 'five million dollars ($5,000,000)',
  'two times (2x)', 'twice', '150%', 'one hundred and fifty per cent (150%)', ' the fees paid ', 'in the twelve (12) months preceding the claim',
  'except for', 'gross negligence', 'wilful misconduct', 'breach of Section 4', 'indemnify, defend and hold harmless', 'third-party claims',
  'sub-processor', 'flow down', 'return or delete all Customer Data', 'certify deletion', 'audit', 'SOC 2 Type II', 'ISO 27001', 'once per year',
  'cyber liability insurance', 'of not less than', '99.9%', 'Monthly Uptime Percentage', 'service credits', 'EEA', 'United States',
  'logs for twelve (12) months', 'governed by the laws of the State of New York', 'England and Wales', 'terminate for convenience',
  "upon thirty (30) days' written notice", 'may not assign', 'without prior written consent', 'change of control', 'affiliates',
  'This Agreement is made between ', 'Acme Ltd ("Supplier")', ' and ', 'Beta plc ("Customer")', '"Security Incident" means ', 'Such notice shall',
  '(a) ', '(b) ', '(i) ', '(ii) ', 'a. ', '1. ', '8.1 ', '12.3.4 ', 'ARTICLE 5', 'Section 9.2', 'SCHEDULE 2 - SERVICE LEVELS', '9. DATA PROTECTION',
  '| Severity 1 | Security Incident | 15 minutes |', '| Tier | Notice |', 'Inc.', 'U.S.', 'i.e.', 'e.g.', 'No. 5', 'Art. 28(3)',
  'one', 'twenty', 'hundred', 'thousand', 'million', 'and', '0', '1', '12', '1,000', '1,00,000', '1.000.000,00', '3.5', '0.0001',
  '9'.repeat(40), '1,' + '000,'.repeat(12) + '000', '(' + '9'.repeat(25) + ')', 'one '.repeat(30), '- '.repeat(20),
  ' ', '. ', '; ', ': ', ', ', '\n', '\n\n', '\f', ' '.repeat(50),
);

/** Any string, from any UTF-16 code units. */
export const anyText = fc.string({ unit: anyCodeUnit, maxLength: 400 });

/** Strings of contract words mixed with odd characters and random text. */
export const legalText = fc
  .array(fc.oneof({ weight: 6, arbitrary: legalFragment }, { weight: 2, arbitrary: specialChar }, { weight: 1, arbitrary: fc.string({ unit: anyCodeUnit, maxLength: 12 }) }), {
    maxLength: 80,
  })
  .map((parts) => parts.join(''));

/** Either kind. */
export const text = fc.oneof(anyText, legalText);

/** The number as a drafter writes it in words ("seventy-two", "one hundred and twenty thousand five"). */
export function numberInWords(n: number): string {
  const small = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
  const tens = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
  const below1000 = (k: number): string => {
    const h = Math.floor(k / 100);
    const rest = k % 100;
    const r = rest < 20 ? small[rest] : `${tens[Math.floor(rest / 10)]}${rest % 10 ? `-${small[rest % 10]}` : ''}`;
    if (h === 0) return r;
    return rest === 0 ? `${small[h]} hundred` : `${small[h]} hundred and ${r}`;
  };
  if (n < 1000) return below1000(n);
  const thousands = Math.floor(n / 1000);
  const rest = n % 1000;
  return rest === 0 ? `${below1000(thousands)} thousand` : `${below1000(thousands)} thousand ${below1000(rest)}`;
}
