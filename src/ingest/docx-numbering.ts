/**
 * Word keeps list and section numbers ("8.1", "(a)", "(iv)") out of the text:
 * they live in numbering.xml and are drawn at display time. The text reader
 * (mammoth) tells which paragraphs are numbered but not their labels, so this
 * module works the labels out the way Word does, from numbering.xml, the
 * styles and the numbered paragraphs in document order. It mirrors mammoth's
 * choice of which paragraphs are numbered, so the two lists line up; when they
 * do not, the caller falls back to depth-based labels.
 */

interface LevelDef {
  numFmt: string;
  lvlText: string;
  start: number;
  pStyle: string | null;
  isLgl: boolean;
}

interface AbstractNum {
  levels: Map<string, LevelDef>;
  numStyleLink: string | null;
}

interface NumDef {
  abstractNumId: string;
  startOverrides: Map<string, number>;
}

export interface NumberingModel {
  abstractNums: Map<string, AbstractNum>;
  nums: Map<string, NumDef>;
  /** numbering style id -> numId (for abstractNums that link to a style) */
  numberingStyles: Map<string, string>;
}

const attr = (tag: string, name: string): string | null => {
  const m = new RegExp(`\\b${name}="([^"]*)"`).exec(tag);
  return m ? m[1] : null;
};

function firstTag(xml: string, name: string): string | null {
  const m = new RegExp(`<${name}\\b[^>]*>`).exec(xml);
  return m ? m[0] : null;
}

function elements(xml: string, name: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`<${name}\\b[^>]*?(?:/>|>[\\s\\S]*?</${name}>)`, 'g');
  for (let m = re.exec(xml); m; m = re.exec(xml)) out.push(m[0]);
  return out;
}

export function parseNumbering(numberingXml: string | null, stylesXml: string | null): NumberingModel {
  const abstractNums = new Map<string, AbstractNum>();
  const nums = new Map<string, NumDef>();
  const numberingStyles = new Map<string, string>();
  if (numberingXml) {
    for (const el of elements(numberingXml, 'w:abstractNum')) {
      const id = attr(el, 'w:abstractNumId');
      if (id === null) continue;
      const levels = new Map<string, LevelDef>();
      for (const lvl of elements(el, 'w:lvl')) {
        const ilvl = attr(lvl, 'w:ilvl') ?? '0';
        const valOf = (name: string) => {
          const t = firstTag(lvl, name);
          return t ? attr(t, 'w:val') : null;
        };
        levels.set(ilvl, {
          numFmt: valOf('w:numFmt') ?? 'decimal',
          lvlText: valOf('w:lvlText') ?? '',
          start: Number(valOf('w:start') ?? '1') || 0,
          pStyle: valOf('w:pStyle'),
          isLgl: firstTag(lvl, 'w:isLgl') !== null,
        });
      }
      const link = firstTag(el, 'w:numStyleLink');
      abstractNums.set(id, { levels, numStyleLink: link ? attr(link, 'w:val') : null });
    }
    for (const el of elements(numberingXml, 'w:num')) {
      const numId = attr(el, 'w:numId');
      const abs = firstTag(el, 'w:abstractNumId');
      if (numId === null || abs === null) continue;
      const startOverrides = new Map<string, number>();
      for (const ov of elements(el, 'w:lvlOverride')) {
        const so = firstTag(ov, 'w:startOverride');
        if (so) startOverrides.set(attr(ov, 'w:ilvl') ?? '0', Number(attr(so, 'w:val') ?? '1'));
      }
      nums.set(numId, { abstractNumId: attr(abs, 'w:val') ?? '', startOverrides });
    }
  }
  if (stylesXml) {
    for (const st of elements(stylesXml, 'w:style')) {
      if (attr(st.slice(0, st.indexOf('>') + 1), 'w:type') !== 'numbering') continue;
      const styleId = attr(st.slice(0, st.indexOf('>') + 1), 'w:styleId');
      const numIdTag = firstTag(st, 'w:numId');
      if (styleId && numIdTag) numberingStyles.set(styleId, attr(numIdTag, 'w:val') ?? '');
    }
  }
  return { abstractNums, nums, numberingStyles };
}

interface ResolvedLevel {
  /** Counters are shared by every paragraph with the same key. */
  counterKey: string;
  abstract: AbstractNum;
  ilvl: number;
  startOverride: number | null;
}

function findLevel(model: NumberingModel, numId: string, ilvl: string, seen = new Set<string>()): ResolvedLevel | null {
  if (seen.has(numId)) return null;
  seen.add(numId);
  const num = model.nums.get(numId);
  if (!num) return null;
  const abstract = model.abstractNums.get(num.abstractNumId);
  if (!abstract) return null;
  if (abstract.numStyleLink !== null) {
    const linked = model.numberingStyles.get(abstract.numStyleLink);
    return linked === undefined ? null : findLevel(model, linked, ilvl, seen);
  }
  if (!abstract.levels.has(ilvl)) return null;
  const restart = num.startOverrides.size > 0;
  return {
    counterKey: restart ? `num:${numId}` : `abs:${num.abstractNumId}`,
    abstract,
    ilvl: Number(ilvl),
    startOverride: num.startOverrides.get(ilvl) ?? null,
  };
}

function findLevelByStyle(model: NumberingModel, styleId: string): ResolvedLevel | null {
  for (const [absId, abstract] of model.abstractNums) {
    for (const [ilvl, def] of abstract.levels) {
      if (def.pStyle === styleId) return { counterKey: `abs:${absId}`, abstract, ilvl: Number(ilvl), startOverride: null };
    }
  }
  return null;
}

/** The numbering of each numbered paragraph of document.xml, in document order, as mammoth decides it. */
function numberedParagraphs(model: NumberingModel, documentXml: string): ResolvedLevel[] {
  const out: ResolvedLevel[] = [];
  const paraStart = /<w:p[\s>]/g;
  for (let m = paraStart.exec(documentXml); m; m = paraStart.exec(documentXml)) {
    const after = documentXml.slice(m.index, m.index + 4000);
    const tagEnd = after.indexOf('>');
    if (after[tagEnd - 1] === '/') continue; // empty <w:p/>
    const rest = after.slice(tagEnd + 1);
    const pPr = rest.startsWith('<w:pPr>') || rest.startsWith('<w:pPr ') ? rest.slice(0, rest.indexOf('</w:pPr>') + 1 || undefined) : '';
    const numPr = /<w:numPr>[\s\S]*?<\/w:numPr>/.exec(pPr)?.[0] ?? '';
    const ilvlTag = firstTag(numPr, 'w:ilvl');
    const numIdTag = firstTag(numPr, 'w:numId');
    const ilvl = ilvlTag ? attr(ilvlTag, 'w:val') : null;
    const numId = numIdTag ? attr(numIdTag, 'w:val') : null;
    const styleTag = firstTag(pPr, 'w:pStyle');
    const styleId = styleTag ? attr(styleTag, 'w:val') : null;
    let level: ResolvedLevel | null = null;
    if (ilvl !== null && numId !== null) level = findLevel(model, numId, ilvl);
    else if (styleId !== null && (level = findLevelByStyle(model, styleId)) !== null) {
      // found through the paragraph style
    } else if (numId !== null) level = findLevel(model, numId, '0');
    if (level) out.push(level);
  }
  return out;
}

export function formatNumber(n: number, numFmt: string): string {
  switch (numFmt) {
    case 'lowerLetter':
      return letters(n);
    case 'upperLetter':
      return letters(n).toUpperCase();
    case 'lowerRoman':
      return roman(n).toLowerCase();
    case 'upperRoman':
      return roman(n);
    case 'decimalZero':
      return String(n).padStart(2, '0');
    case 'none':
      return '';
    default:
      return String(n);
  }
}

function letters(n: number): string {
  if (n <= 0) return String(n);
  // Word repeats the letter: a..z, aa..zz, aaa..
  const ch = String.fromCharCode(97 + ((n - 1) % 26));
  return ch.repeat(Math.floor((n - 1) / 26) + 1);
}

function roman(n: number): string {
  if (n <= 0 || n >= 4000) return String(n);
  const table: [number, string][] = [
    [1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'],
    [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I'],
  ];
  let out = '';
  for (const [v, s] of table) while (n >= v) { out += s; n -= v; }
  return out;
}

/** Labels ("8.1", "(a)", "•") for the numbered paragraphs of a document, in order. */
export function numberingLabels(model: NumberingModel, documentXml: string): string[] {
  const counters = new Map<string, number[]>();
  const labels: string[] = [];
  for (const p of numberedParagraphs(model, documentXml)) {
    const counts = counters.get(p.counterKey) ?? [];
    const def = p.abstract.levels.get(String(p.ilvl));
    const start = p.startOverride ?? def?.start ?? 1;
    counts[p.ilvl] = counts[p.ilvl] === undefined ? start : counts[p.ilvl] + 1;
    counts.length = p.ilvl + 1;
    counters.set(p.counterKey, counts);
    if (!def || def.numFmt === 'bullet') {
      labels.push('•');
      continue;
    }
    const label = def.lvlText.replace(/%(\d)/g, (_, k: string) => {
      const idx = Number(k) - 1;
      const lvlDef = p.abstract.levels.get(String(idx));
      const value = counts[idx] ?? lvlDef?.start ?? 1;
      return formatNumber(value, def.isLgl ? 'decimal' : (lvlDef?.numFmt ?? 'decimal'));
    });
    labels.push(label.trim());
  }
  return labels;
}

/** Labels for when numbering.xml cannot be lined up: the usual legal scheme by depth. */
export function fallbackLabel(depth: number, count: number, ordered: boolean): string {
  if (!ordered) return '•';
  switch (depth % 4) {
    case 0:
      return `${count}.`;
    case 1:
      return `(${letters(count)})`;
    case 2:
      return `(${roman(count).toLowerCase()})`;
    default:
      return `(${letters(count).toUpperCase()})`;
  }
}
