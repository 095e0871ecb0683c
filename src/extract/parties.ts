/**
 * Who is who in a contract. Rules name parties by the defined term the
 * contract uses ("Supplier", "Customer", "Orbital"); this module finds those
 * terms (the defaults every contract uses plus the ones the preamble defines)
 * and resolves a mention in a sentence to its canonical form.
 */

export interface PartyContext {
  /** Canonical terms, longest first. */
  terms: string[];
  /** Lower-cased mention -> canonical term. */
  canonical: Map<string, string>;
  /** Alternation of every mention, for building regexes. */
  alternation: string;
  /** The party terms the document itself defines, canonical, in order. */
  defined: string[];
  /** A party mention ending a string (the subject before a verb), compiled once per document. */
  tail: RegExp;
  /** A party mention starting a string (the object after a verb). */
  head: RegExp;
}

const BOTH = ['each party', 'either party', 'neither party', 'both parties', 'the parties', 'each of the parties', 'other party', 'each other', 'the other party', 'the other', 'a party', 'any party', 'parties', 'the affected party', 'the notifying party'];
const WE = ['we', 'us', 'our'];
const YOU = ['you', 'your'];

/** Defined terms that name documents, dates or things, never a party. */
const NOT_PARTIES = new Set(
  [
    'agreement', 'effective date', 'services', 'service', 'party', 'parties', 'order form', 'order', 'dpa', 'addendum', 'schedule',
    'terms', 'msa', 'sow', 'statement of work', 'baa', 'sla', 'contract', 'data', 'personal data', 'customer data',
    'confidential information', 'software', 'platform', 'term', 'fees', 'charges', 'documentation', 'deliverables',
    'affiliate', 'affiliates', 'territory', 'site', 'product', 'products', 'subscription', 'main agreement', 'principal agreement',
  ],
);

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A quoted defined term inside quotes: "Provider", "the Supplier", "BrightDesk," (a comma before the closing quote is US style). */
const QUOTED = '["“]\\s*(?:the\\s+)?([A-Za-z][A-Za-z.&\'’ -]{0,40}?)\\s*,?["”]';
const DEFINED_TERM = new RegExp(
  `\\(\\s*(?:each\\s+a\\s+|individually\\s+|together\\s+|collectively\\s+)?(?:the\\s+|hereinafter\\s+(?:referred\\s+to\\s+as\\s+)?(?:the\\s+)?|referred\\s+to\\s+(?:herein\\s+|below\\s+)?as\\s+(?:the\\s+)?)?${QUOTED}((?:\\s*(?:,|or|and|,\\s*or|,\\s*and)?\\s*(?:the\\s+)?["“][^"”]{1,30}["”])*)(?:\\s*,\\s*(?:which|who|whose|including|and\\s+includ)[^()]{0,160})?\\s*\\)`,
  'g',
);

/** Defined terms that name documents, dates or things, never a party. */
function notAParty(term: string): boolean {
  const t = term.toLowerCase().replace(/[.,]$/, '').trim();
  return NOT_PARTIES.has(t) || /\b(?:date|agreement|addendum|schedule|terms|policy|services?|data|information|fees?|period|term|order|exhibit|annex|appendix|statement of work|documentation|platform|software|product)$/.test(t);
}

/** Party terms a document defines in parentheses: Acme, Inc. ("Provider"). */
export function definedPartyTerms(text: string): string[] {
  const out: string[] = [];
  const head = text.slice(0, 6000);
  DEFINED_TERM.lastIndex = 0;
  for (let m = DEFINED_TERM.exec(head); m; m = DEFINED_TERM.exec(head)) {
    const before = head.slice(Math.max(0, m.index - 300), m.index);
    // A party is defined after its name and description: a company form, an address, or the words that introduce the parties.
    if (!/\b(?:Inc|LLC|L\.L\.C|Ltd|Limited|Corp|Corporation|plc|GmbH|AG|Pty|LLP|LP|L\.P|S\.A|N\.V|B\.V|DAC|Co|Company|Bank|Trust|Partners|Group|Association|Authority|Council|University|Hospital|Health|Institute)\b|\d|\b(?:between|among|by and between|entered into by|made by)\b/.test(before)) continue;
    const terms = [m[1], ...[...(m[2] ?? '').matchAll(/["“]([^"”]{1,30})["”]/g)].map((x) => x[1])];
    for (const t of terms) {
      const term = t.replace(/[,.]$/, '').trim();
      if (term.length < 2 || notAParty(term)) continue;
      out.push(term);
    }
  }
  return out;
}

export function buildPartyContext(text: string, defaults: readonly string[]): PartyContext {
  const canonical = new Map<string, string>();
  const add = (mention: string, canon: string) => {
    const key = mention.toLowerCase();
    if (!canonical.has(key)) canonical.set(key, canon);
  };
  const defined: string[] = [];
  for (const t of definedPartyTerms(text)) {
    const lower = t.toLowerCase();
    const canon = WE.includes(lower) ? 'we' : YOU.includes(lower) ? 'you' : t;
    add(t, canon);
    if (!defined.includes(canon)) defined.push(canon);
  }
  for (const t of defaults) add(t, t);
  for (const t of BOTH) add(t, 'both');
  for (const t of WE) add(t, 'we');
  for (const t of YOU) add(t, 'you');
  const mentions = [...canonical.keys()].sort((a, b) => b.length - a.length);
  const alternation = mentions.map((m) => escapeRe(m).replace(/\\ |\s+/g, '\\s+').replace(/-/g, '[\\s-]?')).join('|');
  return {
    terms: [...new Set(canonical.values())],
    canonical,
    alternation,
    defined,
    tail: new RegExp(`(?:^|[^A-Za-z])(${alternation})(?:['’]s)?\\s*(?:\\([^)]{0,80}\\)\\s*|,[^,;.]{0,80},\\s*)?$`, 'i'),
    head: new RegExp(`^\\s*(?:(?:the|each|any|all|every|affected|relevant|applicable|such)\\s+)?(${alternation})(?![A-Za-z])`, 'i'),
  };
}

/** The canonical party for a mention, or null when it is not a party (e.g. a lower-case common noun). */
export function resolveParty(ctx: PartyContext, mention: string): string | null {
  const folded = mention.replace(/\s+/g, ' ').trim();
  const lower = folded.toLowerCase();
  let canon = ctx.canonical.get(lower) ?? null;
  if (canon === null) {
    // "sub processor" / "sub-processor" spelled differently from the list
    for (const [k, v] of ctx.canonical) if (k.replace(/[\s-]/g, '') === lower.replace(/[\s-]/g, '')) canon = v;
  }
  if (canon === null) return null;
  if (canon === 'both' || canon === 'we' || canon === 'you') return canon;
  // A defined term is capitalised; "the provider of the services" is not a party reference.
  if (!/^[A-Z]/.test(folded)) return null;
  return canon;
}

/**
 * The parties a preamble names, with their roles:
 * "between Northwind Security, Inc., a Delaware corporation ("Provider"), and Harbor Bank ("Customer")".
 */
export function parseParties(sentence: string): { name: string | null; role: string }[] {
  const out: { name: string | null; role: string }[] = [];
  const re = new RegExp(DEFINED_TERM.source, 'g');
  let from = 0;
  for (let m = re.exec(sentence); m; m = re.exec(sentence)) {
    const terms = [m[1], ...[...(m[2] ?? '').matchAll(/["“]([^"”]{1,30})["”]/g)].map((x) => x[1])].map((t) => t.replace(/[,.]$/, '').trim());
    // ("BrightDesk," "we," or "us"): the contract speaks as "we", so that is the role
    const role = terms.find((t) => /^(?:we|us|our|you|your)$/i.test(t)) ?? terms[0];
    if (m.index < from) continue;
    if (notAParty(role)) {
      from = m.index + m[0].length;
      continue;
    }
    let chunk = sentence.slice(from, m.index);
    // a name starts after the words that introduce the parties (the last of them: "MADE BY AND BETWEEN")
    const intros = [
      ...chunk.matchAll(/\b(?:between|among|amongst|parties)\b\s*:?|\b(?:made|entered\s+into|executed|concluded|signed|agreed|is)\b(?:\s+[\w,]+){0,6}?\s+by\b(?!\s+(?:and\s+between|and\s+among|reference))\s*/gi),
    ];
    const intro = intros[intros.length - 1];
    if (intro) chunk = chunk.slice((intro.index ?? 0) + intro[0].length);
    const name = partyName(chunk);
    const canonRole = /^(?:we|us|our)$/i.test(role) ? 'we' : /^(?:you|your)$/i.test(role) ? 'you' : role;
    // "the business or organization that signs up ("you")": a party described, not named
    if (name !== null || /^[\s,;:]*(?:and\s+|or\s+)?(?:the|any|each|a|an|you)\s+[a-z]/.test(chunk)) out.push({ name, role: canonRole });
    from = m.index + m[0].length;
  }
  return out;
}

/**
 * The name at the start of the words that describe a party:
 * ", and Harbor Community Bank, a New York state-chartered bank with offices at ..." -> "Harbor Community Bank".
 */
function partyName(chunk: string): string | null {
  const name = chunk
    // connectives, the reader ("you and ...") and list numbers before the name
    .replace(/^[\s,;:]*(?:(?:and|or|between|among|amongst|with|by|are)\s+)*(?:(?:you|us|we)\s+and\s+)?(?:\(?\d{1,2}[.)]\s*|\([a-z]\)\s*)?/i, '')
    // registration numbers in brackets: "(ACN 612 345 678)", "(company number 0941)"
    .replace(/\s*\((?:ACN|ABN|NZBN|UEN|CIN|CRN|EIN|GSTIN|VAT|KvK|SIREN|SIRET|HRB|company|registration|registered|reg\.|no\.)[^)]*\)/gi, '')
    // the description after the name: ", a Delaware corporation", " of Level 14, 60 Martin Place", ", whose registered office ..."
    .replace(/(?:,\s+|\s+)(?=(?:a|an|the|with|having|whose|located|incorporated|registered|organi[sz]ed|represented|acting|on\s+behalf|doing\s+business|company\s+(?:no|number)|ABN|ACN|trading\s+as)\b|t\/a\b|of\s+(?:\d|(?:Level|Suite|Unit|Floor|PO\s+Box)\b))[\s\S]*$/i, '')
    // ", of Town Hall, Greyfield" / " of Meadowbank House, 40 Riverside Way": an address
    .replace(/,\s+of\s+[\s\S]*$/i, '')
    .replace(/\s+of\s+(?=[A-Z][^,]{0,40},\s*\d)[\s\S]*$/, '')
    // "The parties are X and Y"
    .replace(/^(?:the\s+)?parties\s+(?:are|to\s+this\s+\w+\s+are)\s+/i, '')
    .replace(/\s*\([^)]*$/, '')
    .replace(/^[\s,]+|[\s,]+$/g, '')
    .replace(/\s+/g, ' ');
  if (name.length < 2 || !/^[A-Z0-9"“]/.test(name) || name.split(' ').length > 10) return null;
  return /[a-z]/.test(name) ? name : fromCapitals(name);
}

/** How company forms and small words are written when a name is set in capitals. */
const CAPS_WORDS = new Map(
  ['Inc', 'Ltd', 'LLC', 'LLP', 'LP', 'plc', 'GmbH', 'AG', 'KG', 'SA', 'SE', 'NV', 'BV', 'Pty', 'Pte', 'Co', 'Corp', 'ULC', 'DAC', 'of', 'and', 'the', 'for', 'de', 'du', 'la', 'von', 'und'].map((w) => [w.toUpperCase(), w]),
);

/**
 * A party name set in capitals, as a preamble in capitals writes it
 * ("MAPLEWAVE SOFTWARE INC."), in the capitalisation the rest of the contract
 * uses ("Maplewave Software Inc."). Words without a vowel ("IBM", "HSBC") stay
 * as they are: they are initials.
 */
function fromCapitals(name: string): string {
  return name.replace(/[A-Z][A-Z'’&]*/g, (word, at: number) => {
    const known = CAPS_WORDS.get(word);
    if (known !== undefined) return at === 0 ? known[0].toUpperCase() + known.slice(1) : known;
    if (!/[AEIOUY]/.test(word) || word.length === 1) return word;
    return word[0] + word.slice(1).toLowerCase();
  });
}
