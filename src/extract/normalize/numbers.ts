import nlp from 'compromise';

/**
 * Numbers as contracts write them: digits ("72", "2,000,000", "1.5"), words
 * ("seventy-two", "one hundred and twenty"), and both at once
 * ("seventy-two (72)", "72 (seventy-two)"). When both are given the digits
 * win: they are what drafters check, and reading the pair as one phrase
 * would double it.
 */

const UNITS = 'zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen';
const TENS = 'twenty|thirty|forty|fourty|fifty|sixty|seventy|eighty|ninety';
const SCALES = 'hundred|thousand|million|billion';
const WORD = `(?:${UNITS}|${TENS}|${SCALES})`;

/**
 * One or more number words: "seventy-two", "one hundred and twenty", "five million".
 * At most 25 words (a number up to the billions needs about 20): unbounded, a
 * run of thousands of number words was read again from each of its words, and
 * a few kilobytes of them took seconds.
 */
export const NUMBER_WORDS_SRC = `\\b${WORD}(?:(?:[\\s-]+|[\\s-]+and[\\s-]+)${WORD}){0,24}\\b`;
/**
 * Digits with optional thousands separators and decimals. Never starting inside
 * a run of digits (nor just after "1." or "1,"): a match found there would also
 * be found from the run's start, and trying every position of a long run of
 * digits made each scan quadratic (5 MB of digits never finished).
 */
export const DIGITS_SRC = `(?<!\\d|\\d[.,])(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)*`;
/** Any number expression, words and/or digits. */
export const NUMBER_SRC =
  `(?:${NUMBER_WORDS_SRC}\\s*\\(\\s*${DIGITS_SRC}\\s*\\)|${DIGITS_SRC}\\s*\\(\\s*${NUMBER_WORDS_SRC}\\s*\\)|${DIGITS_SRC}|${NUMBER_WORDS_SRC})`;

const SIMPLE: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18,
  nineteen: 19, twenty: 20, thirty: 30, forty: 40, fourty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
  a: 1, an: 1, single: 1, twice: 2, half: 0.5,
};

const wordCache = new Map<string, number | null>();

/** "seventy-two" -> 72. Common single words are looked up; longer phrases go to compromise, once each. */
export function parseNumberWords(words: string): number | null {
  const key = words.toLowerCase().replace(/[\s-]+/g, ' ').trim();
  if (key in SIMPLE) return SIMPLE[key];
  const cached = wordCache.get(key);
  if (cached !== undefined) return cached;
  const got = nlp(key).numbers().get() as unknown[];
  const value = got.length === 1 && typeof got[0] === 'number' && Number.isFinite(got[0]) ? (got[0] as number) : null;
  if (wordCache.size > 10_000) wordCache.clear();
  wordCache.set(key, value);
  return value;
}

export function parseDigits(s: string): number | null {
  const n = Number(s.replace(/,/g, ''));
  return Number.isFinite(n) ? n : null;
}

const DIGITS_RE = new RegExp(DIGITS_SRC);
const PAREN_DIGITS_RE = new RegExp(`\\(\\s*(${DIGITS_SRC})\\s*\\)`);

/** Parses any NUMBER_SRC expression. */
export function parseNumber(expr: string): number | null {
  const paren = PAREN_DIGITS_RE.exec(expr);
  if (paren) return parseDigits(paren[1]);
  const digits = DIGITS_RE.exec(expr);
  if (digits) return parseDigits(digits[0]);
  return parseNumberWords(expr);
}
