import { NUMBER_SRC, parseNumber } from './numbers';

/**
 * Multiples of a base amount: "two times (2x)", "2x", "three (3) times",
 * "twice", "one and a half times", "150%", "one hundred and fifty per cent (150%)".
 * Percentages are returned as multiples (150% -> 1.5).
 */
const MULTIPLE_RE = new RegExp(
  [
    `(?<num>${NUMBER_SRC})\\s*(?:\\(\\s*\\d+(?:\\.\\d+)?\\s*[x×]\\s*\\)\\s*)?(?:times|x|×)(?![a-z])(?:\\s*\\(\\s*\\d+(?:\\.\\d+)?\\s*[x×]\\s*\\))?`,
    `(?<twice>\\btwice\\b|\\bdouble\\b)`,
    `(?<onehalf>\\bone and (?:a|one)[\\s-]half times\\b)`,
    `(?<pct>${NUMBER_SRC})\\s*(?:%|per\\s?cent\\b|percent\\b)(?:\\s*\\(\\s*(?<pctdig>\\d+(?:\\.\\d+)?)\\s*%\\s*\\))?`,
  ].join('|'),
  'gi',
);

export interface Multiple {
  multiple: number;
  start: number;
  end: number;
  percent: boolean;
}

export function findMultiples(text: string): Multiple[] {
  const out: Multiple[] = [];
  MULTIPLE_RE.lastIndex = 0;
  for (let m = MULTIPLE_RE.exec(text); m; m = MULTIPLE_RE.exec(text)) {
    const g = m.groups!;
    let value: number | null = null;
    let percent = false;
    if (g.num !== undefined) {
      const inner = /\(\s*(\d+(?:\.\d+)?)\s*[x×]\s*\)/i.exec(m[0]);
      value = inner ? Number(inner[1]) : parseNumber(g.num);
    } else if (g.twice !== undefined) value = 2;
    else if (g.onehalf !== undefined) value = 1.5;
    else if (g.pct !== undefined) {
      const n = g.pctdig !== undefined ? Number(g.pctdig) : parseNumber(g.pct);
      value = n === null ? null : n / 100;
      percent = true;
    }
    if (value === null || !Number.isFinite(value) || value <= 0) continue;
    out.push({ multiple: value, start: m.index, end: m.index + m[0].length, percent });
  }
  return out;
}
