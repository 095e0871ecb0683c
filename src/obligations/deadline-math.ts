/**
 * Deadline arithmetic: when a period that starts at an instant ends. Pure: the
 * start is a parameter, there is no clock.
 *
 * - Hours, minutes and seconds are elapsed time: 72 hours are 72 * 3600 s even
 *   across a daylight-saving change (so the wall-clock time of the end moves by
 *   an hour).
 * - Days, weeks, months and years are counted on the calendar of the incident's
 *   time zone: "3 days" across a daylight-saving change ends at the same
 *   wall-clock time. A month from 31 January is the last day of February.
 *   Should the end fall in the hour a spring-forward change skips, it moves
 *   forward past the gap.
 * - Business days are the days after the start's own day that are neither
 *   Saturday, Sunday nor a public holiday of the deadline's holiday region; the
 *   period ends on the last of them at the start's time of day (or its end, with
 *   `endOfDay`). A start on a weekend still counts from the next business day.
 * - Holidays are looked up by calendar date (the day's year-month-day in the
 *   incident's zone), never by converting an instant into the region's zone, so
 *   a Berlin incident and a New York region agree that 26 November 2026 is
 *   Thanksgiving whatever the hour.
 */
import Holidays from 'date-holidays';
import { DateTime } from 'luxon';
import { type DeadlineUnit } from './types';

export interface PeriodOptions {
  /** IANA time zone the days are counted in. */
  timeZone: string;
  /**
   * Whose public holidays a business day skips: 'US', 'US-NY', 'GB-ENG', 'DE', 'IN', ... (country, or
   * country-state/region, as the holiday library names them). Null: weekends only.
   */
  holidayRegion?: string | null;
  /** Day-based periods end at the end of their last day (23:59:59.999 local) instead of at the start's time of day. */
  endOfDay?: boolean;
}

const HOUR_MS = 3_600_000;

// ---- public holidays ----

/** One library object per region; building one parses the region's rules and is the slow part. */
const libraryCache = new Map<string, Holidays | null>();
/** region -> year -> the public holidays as 'yyyy-mm-dd' in the region's own calendar */
const yearCache = new Map<string, Map<number, Set<string>>>();

let countryCodes: Set<string> | null = null;

function knownCountries(): Set<string> {
  if (!countryCodes) countryCodes = new Set(Object.keys(new Holidays().getCountries('en') ?? {}));
  return countryCodes;
}

function libraryFor(region: string): Holidays | null {
  if (libraryCache.has(region)) return libraryCache.get(region)!;
  const [country, state] = region.toUpperCase().split('-');
  let lib: Holidays | null = null;
  if (country && knownCountries().has(country)) {
    const states = state ? (new Holidays().getStates(country, 'en') ?? {}) : {};
    if (!state || state in states) lib = state ? new Holidays(country, state) : new Holidays(country);
  }
  libraryCache.set(region, lib);
  return lib;
}

/** Whether the holiday library knows the region ('US', 'US-NY', 'GB-ENG', 'DE-BY', 'IN', ...). */
export function isKnownHolidayRegion(region: string): boolean {
  return libraryFor(region) !== null;
}

function isoDay(year: number, month: number, day: number): string {
  return `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

function publicHolidays(region: string, year: number): Set<string> {
  let years = yearCache.get(region);
  if (!years) {
    years = new Map();
    yearCache.set(region, years);
  }
  let days = years.get(year);
  if (days) return days;
  days = new Set();
  const lib = libraryFor(region);
  for (const h of (lib?.getHolidays(year) ?? [])) {
    // banks, schools and observances keep businesses open; substitute days ("Boxing Day (substitute day)") are public
    if (h.type !== 'public') continue;
    // the library's `date` is the holiday's first day on its own calendar ("2026-12-25 00:00:00"); some last several days
    const [y, m, d] = h.date.slice(0, 10).split('-').map(Number);
    const length = Math.max(1, Math.round((h.end.getTime() - h.start.getTime()) / (24 * HOUR_MS)));
    for (let i = 0; i < length; i++) {
      const day = new Date(Date.UTC(y, m - 1, d + i));
      days.add(isoDay(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()));
    }
  }
  years.set(year, days);
  return days;
}

/** true when the calendar day is a public holiday of the region (weekends aside). */
export function isPublicHoliday(day: { year: number; month: number; day: number }, region: string): boolean {
  return publicHolidays(region, day.year).has(isoDay(day.year, day.month, day.day));
}

/** true when the local calendar day is a Saturday, Sunday or a public holiday of the region. */
export function isNonBusinessDay(day: DateTime, region: string | null | undefined): boolean {
  if (day.weekday === 6 || day.weekday === 7) return true;
  if (!region) return false;
  return isPublicHoliday(day, region);
}

// ---- periods ----

/** The instant a period of `amount` `unit` starting at `start` ends. */
export function dueAfter(start: Date, amount: number, unit: DeadlineUnit, options: PeriodOptions): Date {
  if (!Number.isFinite(amount) || amount < 0) throw new RangeError(`a period cannot be ${amount} ${unit}`);
  // elapsed time needs no calendar: plain arithmetic, the fast path most incident deadlines take
  if (unit === 'hours') return new Date(start.getTime() + amount * HOUR_MS);
  if (unit === 'minutes') return new Date(start.getTime() + amount * 60_000);
  if (unit === 'seconds') return new Date(start.getTime() + amount * 1000);

  const from = DateTime.fromJSDate(start, { zone: options.timeZone });
  if (!from.isValid) throw new RangeError(`unknown time zone "${options.timeZone}"`);
  let end: DateTime;
  switch (unit) {
    case 'days':
      end = from.plus({ days: amount });
      break;
    case 'weeks':
      end = from.plus({ weeks: amount });
      break;
    case 'months':
      end = from.plus({ months: amount });
      break;
    case 'years':
      end = from.plus({ years: amount });
      break;
    case 'business_days': {
      if (!Number.isInteger(amount)) throw new RangeError(`business days must be whole: ${amount}`);
      end = from;
      let left = amount;
      while (left > 0) {
        end = end.plus({ days: 1 });
        if (!isNonBusinessDay(end, options.holidayRegion)) left--;
      }
      break;
    }
    default:
      throw new RangeError(`unknown unit "${String(unit)}"`);
  }
  if (options.endOfDay) end = end.endOf('day');
  return end.toJSDate();
}

// ---- which calendar a jurisdiction uses ----

/**
 * Where the people or parties are, as incidents and contracts name it, to the holiday region
 * whose public holidays its business days skip:
 *   - 'UK' / 'GB' count England and Wales's bank holidays ('GB-ENG'): most UK contracts and the
 *     ICO work to them. 'UK-SCT', 'GB-NIR', ... pick a nation.
 *   - 'US' is the federal calendar; 'US-NY' and other states add their own days.
 *   - 'EU' / 'EEA' have no common public holidays: null (weekends only) unless a member state is
 *     named as well (see holidayRegionOf).
 *   - any other country code ('DE', 'IN', 'DE-BY') as the holiday library knows it; unknown: null.
 */
export function holidayRegionFor(jurisdiction: string): string | null {
  const j = jurisdiction.trim().toUpperCase().replace(/_/g, '-');
  if (!j || j === 'EU' || j === 'EEA') return null;
  const [country, sub] = j.split('-');
  const c = country === 'UK' ? 'GB' : country;
  const region = c === 'GB' && !sub ? 'GB-ENG' : sub ? `${c}-${sub}` : c;
  if (isKnownHolidayRegion(region)) return region;
  // a subdivision the library does not split out still has its country's holidays
  return sub && isKnownHolidayRegion(c === 'GB' ? 'GB-ENG' : c) ? (c === 'GB' ? 'GB-ENG' : c) : null;
}

/** The first of several jurisdictions that has a holiday calendar ('EU' skipped for 'DE' after it), or null. */
export function holidayRegionOf(jurisdictions: readonly string[]): string | null {
  for (const j of jurisdictions) {
    const region = holidayRegionFor(j);
    if (region) return region;
  }
  return null;
}
