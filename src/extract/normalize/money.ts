import { DIGITS_SRC, NUMBER_WORDS_SRC, parseDigits, parseNumberWords } from './numbers';

export interface Money {
  amount: number;
  currency: string;
  start: number;
  end: number;
}

/** Currency marks and codes, longest first so "US$" wins over "$". */
const PREFIXES: [string, string][] = [
  ['US\\$', 'USD'], ['U\\.S\\.\\s?\\$', 'USD'], ['USD\\s?\\$?', 'USD'], ['A\\$', 'AUD'], ['AU\\$', 'AUD'], ['AUD\\s?\\$?', 'AUD'],
  ['C\\$', 'CAD'], ['CA\\$', 'CAD'], ['CAD\\s?\\$?', 'CAD'], ['NZ\\$', 'NZD'], ['NZD\\s?\\$?', 'NZD'], ['S\\$', 'SGD'], ['SGD\\s?\\$?', 'SGD'],
  ['R\\$', 'BRL'], ['BRL', 'BRL'], ['HK\\$', 'HKD'], ['GBP\\s?£?', 'GBP'], ['£', 'GBP'], ['EUR\\s?€?', 'EUR'], ['€', 'EUR'],
  ['CHF', 'CHF'], ['JPY\\s?¥?', 'JPY'], ['¥', 'JPY'], ['INR', 'INR'], ['₹', 'INR'], ['Rs\\.?', 'INR'], ['\\$', 'USD'],
];
const SUFFIX_WORDS: [RegExp, string][] = [
  [/^(?:US|U\.S\.)?\s*dollars?/i, 'USD'], [/^(?:pounds?(?:\s+sterling)?|sterling)/i, 'GBP'], [/^euros?/i, 'EUR'],
  [/^USD\b/, 'USD'], [/^GBP\b/, 'GBP'], [/^EUR\b/, 'EUR'], [/^AUD\b/, 'AUD'], [/^CAD\b/, 'CAD'], [/^SGD\b/, 'SGD'], [/^CHF\b/, 'CHF'],
  [/^Australian dollars?/i, 'AUD'], [/^Canadian dollars?/i, 'CAD'],
];

const SCALE_SRC = '(?:\\s?(?:k|K|m|M|mm|MM|bn|BN)\\b|\\s+(?:thousand|million|billion|lakhs?|lacs?|crores?)\\b)?';
const PREFIX_SRC = PREFIXES.map(([p]) => p).join('|');
// "10,00,00,000": Indian digit grouping (lakh, crore) before the usual thousands
// (not from inside a run of digits: see DIGITS_SRC)
const AMOUNT_SRC = `(?:(?<!\\d|\\d[.,])\\d{1,2}(?:,\\d{2})+,\\d{3}|${DIGITS_SRC})${SCALE_SRC}`;
const MONEY_PARTS = [
    `(?<pre>${PREFIX_SRC})\\s?(?<amt>${AMOUNT_SRC})`,
    `(?<amt2>${AMOUNT_SRC})\\s?(?<suf>(?:US |U\\.S\\. )?dollars?|pounds?(?: sterling)?|euros?|Australian dollars?|Canadian dollars?|USD|GBP|EUR|AUD|CAD|SGD|CHF)\\b`,
    `(?<words>${NUMBER_WORDS_SRC})\\s+(?<suf2>(?:US |U\\.S\\. )?dollars?|pounds?(?: sterling)?|euros?)\\b`,
];
const MONEY_RE = new RegExp(MONEY_PARTS.join('|'), 'g');
/** Any money expression, for use inside rule patterns. */
export const MONEY_SRC = `(?:${MONEY_PARTS.join('|')})`;

/** "250.000" and "1.000.000,00" write thousands with dots (as much of Europe does): read them as such. */
function continental(digits: string): string {
  if (/^\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?$/.test(digits)) return digits.replace(/\./g, '').replace(',', '.');
  return digits;
}

function scaleOf(s: string): number {
  const m = /(k|m|mm|bn|thousand|million|billion|lakhs?|lacs?|crores?)\s*$/i.exec(s.trim());
  if (!m) return 1;
  const k = m[1].toLowerCase();
  if (k.startsWith('lakh') || k.startsWith('lac')) return 1e5;
  if (k.startsWith('crore')) return 1e7;
  if (k === 'k' || k === 'thousand') return 1e3;
  if (k === 'm' || k === 'mm' || k === 'million') return 1e6;
  return 1e9;
}

const PREFIX_CODES: [RegExp, string][] = PREFIXES.map(([p, code]) => [new RegExp(`^(?:${p})$`), code]);

function currencyOfPrefix(prefix: string): string {
  for (const [re, code] of PREFIX_CODES) if (re.test(prefix.trim()) || re.test(prefix)) return code;
  return 'USD';
}

function currencyOfSuffix(suffix: string): string {
  for (const [re, code] of SUFFIX_WORDS) if (re.test(suffix)) return code;
  return 'USD';
}

/**
 * Money amounts: "USD 2,000,000", "$5 million", "EUR 500k", "£1m",
 * "five million dollars ($5,000,000)", "CAD $500,000", "A$2,000,000".
 * When words and figures both state an amount, the figures are returned.
 */
export function findMoney(text: string): Money[] {
  const out: Money[] = [];
  // a regex of its own per call: the words branch calls findMoney again
  const re = new RegExp(MONEY_RE);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const g = m.groups!;
    let amount: number | null;
    let currency: string;
    if (g.pre !== undefined) {
      const digits = continental(/[\d,.]+/.exec(g.amt)![0]);
      amount = (parseDigits(digits.replace(/\.$/, '')) ?? 0) * scaleOf(g.amt);
      currency = currencyOfPrefix(g.pre);
    } else if (g.amt2 !== undefined) {
      const digits = continental(/[\d,.]+/.exec(g.amt2)![0]);
      amount = (parseDigits(digits.replace(/\.$/, '')) ?? 0) * scaleOf(g.amt2);
      currency = currencyOfSuffix(g.suf);
    } else {
      amount = parseNumberWords(g.words);
      currency = currencyOfSuffix(g.suf2);
      // "five million dollars ($5,000,000)": the figures that follow restate it.
      const after = /^\s*\(\s*([^)]{1,40})\)/.exec(text.slice(m.index + m[0].length));
      if (after) {
        const inner = findMoney(after[1])[0];
        if (inner) {
          amount = inner.amount;
          currency = inner.currency;
        }
      }
    }
    if (amount === null || !Number.isFinite(amount) || amount <= 0) continue;
    const prev = out[out.length - 1];
    // "(US$5,000,000)" right after words already stating it is the same amount.
    if (prev && m.index - prev.end <= 3 && prev.amount === amount) continue;
    out.push({ amount, currency, start: m.index, end: m.index + m[0].length });
  }
  return out;
}
