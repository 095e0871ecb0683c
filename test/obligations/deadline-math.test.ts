import { DateTime } from 'luxon';
import { dueAfter, holidayRegionFor, holidayRegionOf, isNonBusinessDay, isPublicHoliday } from '../../src/obligations/deadline-math';

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const LONDON = 'Europe/London';

/** An instant given as wall-clock time in a zone, as a responder would type it. */
const local = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toJSDate();
/** The wall-clock time of an instant in a zone, to compare with what a calendar shows. */
const wall = (d: Date, zone: string) => DateTime.fromJSDate(d, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ss.SSS ZZ");

describe('hours are elapsed time', () => {
  it('72 hours from a Saturday in New York across the March change end an hour later on the wall clock', () => {
    const start = local('2026-03-07T12:00', NEW_YORK);
    const end = dueAfter(start, 72, 'hours', { timeZone: NEW_YORK });
    expect(end.getTime() - start.getTime()).toBe(72 * 3_600_000);
    expect(wall(end, NEW_YORK)).toBe('2026-03-10T13:00:00.000 -04:00');
  });

  it('24 hours across the October change in Berlin end an hour earlier on the wall clock', () => {
    const end = dueAfter(local('2026-10-24T10:00', BERLIN), 24, 'hours', { timeZone: BERLIN });
    expect(end.toISOString()).toBe('2026-10-25T08:00:00.000Z');
    expect(wall(end, BERLIN)).toBe('2026-10-25T09:00:00.000 +01:00');
  });

  it('ignores end-of-day for hours: "within 6 hours" is six hours', () => {
    const end = dueAfter(new Date('2026-05-04T10:00:00Z'), 6, 'hours', { timeZone: BERLIN, endOfDay: true });
    expect(end.toISOString()).toBe('2026-05-04T16:00:00.000Z');
  });
});

describe('calendar days are counted in the incident time zone', () => {
  it('3 days across the March change in Berlin end at the same wall-clock time (23 hours in the day of change)', () => {
    const start = local('2026-03-28T10:00', BERLIN);
    const end = dueAfter(start, 3, 'days', { timeZone: BERLIN });
    expect(wall(end, BERLIN)).toBe('2026-03-31T10:00:00.000 +02:00');
    expect(end.getTime() - start.getTime()).toBe(71 * 3_600_000);
  });

  it('1 day across the November change in New York ends at the same wall-clock time, 25 hours later', () => {
    const start = local('2026-10-31T12:00', NEW_YORK);
    const end = dueAfter(start, 1, 'days', { timeZone: NEW_YORK });
    expect(wall(end, NEW_YORK)).toBe('2026-11-01T12:00:00.000 -05:00');
    expect(end.getTime() - start.getTime()).toBe(25 * 3_600_000);
  });

  it('ends at the end of the last day with endOfDay', () => {
    const end = dueAfter(local('2026-03-02T09:00', BERLIN), 30, 'days', { timeZone: BERLIN, endOfDay: true });
    expect(wall(end, BERLIN)).toBe('2026-04-01T23:59:59.999 +02:00');
  });

  it('counts weeks and months on the calendar; a month from 31 January is the last day of February', () => {
    expect(wall(dueAfter(local('2026-03-20T08:00', BERLIN), 2, 'weeks', { timeZone: BERLIN }), BERLIN)).toBe('2026-04-03T08:00:00.000 +02:00');
    expect(wall(dueAfter(local('2026-01-31T08:00', BERLIN), 1, 'months', { timeZone: BERLIN }), BERLIN)).toBe('2026-02-28T08:00:00.000 +01:00');
    expect(wall(dueAfter(local('2026-10-15T08:00', NEW_YORK), 1, 'months', { timeZone: NEW_YORK, endOfDay: true }), NEW_YORK)).toBe('2026-11-15T23:59:59.999 -05:00');
  });

  it('the same instant gives different calendar days in different zones', () => {
    const start = new Date('2026-06-01T23:30:00Z'); // 1 June in New York, 2 June in Berlin
    expect(wall(dueAfter(start, 1, 'days', { timeZone: NEW_YORK, endOfDay: true }), NEW_YORK)).toBe('2026-06-02T23:59:59.999 -04:00');
    expect(wall(dueAfter(start, 1, 'days', { timeZone: BERLIN, endOfDay: true }), BERLIN)).toBe('2026-06-03T23:59:59.999 +02:00');
  });

  it('rejects an unknown time zone and a negative period', () => {
    expect(() => dueAfter(new Date('2026-01-01T00:00:00Z'), 1, 'days', { timeZone: 'Mars/Olympus' })).toThrow(/Mars\/Olympus/);
    expect(() => dueAfter(new Date('2026-01-01T00:00:00Z'), -1, 'hours', { timeZone: BERLIN })).toThrow(RangeError);
  });
});

describe('business days skip weekends and the public holidays of the region', () => {
  it('4 business days from a Friday skip the weekend', () => {
    const end = dueAfter(local('2026-06-05T15:00', NEW_YORK), 4, 'business_days', { timeZone: NEW_YORK, holidayRegion: 'US' });
    expect(wall(end, NEW_YORK)).toBe('2026-06-11T15:00:00.000 -04:00');
  });

  it('2 business days from the day before Thanksgiving end on Monday (Thursday is a holiday, then the weekend)', () => {
    const start = local('2026-11-25T10:00', NEW_YORK);
    expect(wall(dueAfter(start, 2, 'business_days', { timeZone: NEW_YORK, holidayRegion: 'US' }), NEW_YORK)).toBe('2026-11-30T10:00:00.000 -05:00');
    expect(wall(dueAfter(start, 2, 'business_days', { timeZone: NEW_YORK, holidayRegion: 'US', endOfDay: true }), NEW_YORK)).toBe(
      '2026-11-30T23:59:59.999 -05:00',
    );
    // without a holiday calendar Thanksgiving is a working day
    expect(wall(dueAfter(start, 2, 'business_days', { timeZone: NEW_YORK }), NEW_YORK)).toBe('2026-11-27T10:00:00.000 -05:00');
  });

  it('1 business day from Christmas Eve in New York is the Monday after Christmas', () => {
    const end = dueAfter(local('2026-12-24T16:00', NEW_YORK), 1, 'business_days', { timeZone: NEW_YORK, holidayRegion: 'US' });
    expect(wall(end, NEW_YORK)).toBe('2026-12-28T16:00:00.000 -05:00');
  });

  it('in England, Boxing Day falls on a Saturday and its substitute Monday is skipped too', () => {
    const end = dueAfter(local('2026-12-24T09:00', LONDON), 1, 'business_days', { timeZone: LONDON, holidayRegion: 'GB-ENG' });
    expect(wall(end, LONDON)).toBe('2026-12-29T09:00:00.000 +00:00');
  });

  it('the English summer bank holiday (31 August 2026) is skipped for the UK', () => {
    const region = holidayRegionFor('UK');
    expect(region).toBe('GB-ENG');
    const end = dueAfter(local('2026-08-28T17:00', LONDON), 1, 'business_days', { timeZone: LONDON, holidayRegion: region });
    expect(wall(end, LONDON)).toBe('2026-09-01T17:00:00.000 +01:00');
  });

  it('Germany: Ascension Day (Thursday 14 May 2026) is skipped', () => {
    const end = dueAfter(local('2026-05-13T11:00', BERLIN), 1, 'business_days', { timeZone: BERLIN, holidayRegion: 'DE' });
    expect(wall(end, BERLIN)).toBe('2026-05-15T11:00:00.000 +02:00');
  });

  it('India: Gandhi Jayanti (Friday 2 October 2026) is skipped', () => {
    const end = dueAfter(local('2026-10-01T11:00', 'Asia/Kolkata'), 1, 'business_days', { timeZone: 'Asia/Kolkata', holidayRegion: 'IN' });
    expect(wall(end, 'Asia/Kolkata')).toBe('2026-10-05T11:00:00.000 +05:30');
  });

  it('a state adds its own days: Election Day 2026 in New York but not for the federal calendar', () => {
    const start = local('2026-11-02T10:00', NEW_YORK);
    expect(wall(dueAfter(start, 1, 'business_days', { timeZone: NEW_YORK, holidayRegion: 'US-NY' }), NEW_YORK)).toBe('2026-11-04T10:00:00.000 -05:00');
    expect(wall(dueAfter(start, 1, 'business_days', { timeZone: NEW_YORK, holidayRegion: 'US' }), NEW_YORK)).toBe('2026-11-03T10:00:00.000 -05:00');
  });

  it('looks a holiday up by its calendar date, even where that date starts before UTC does (Waitangi Day in Auckland)', () => {
    const end = dueAfter(local('2026-02-05T09:00', 'Pacific/Auckland'), 1, 'business_days', { timeZone: 'Pacific/Auckland', holidayRegion: 'NZ' });
    expect(wall(end, 'Pacific/Auckland')).toBe('2026-02-09T09:00:00.000 +13:00');
  });

  it('a start on a weekend counts from the next business day', () => {
    const end = dueAfter(local('2026-06-06T10:00', BERLIN), 1, 'business_days', { timeZone: BERLIN, holidayRegion: 'DE' });
    expect(wall(end, BERLIN)).toBe('2026-06-08T10:00:00.000 +02:00');
  });

  it('counts business days across the March change in Berlin at the same wall-clock time', () => {
    const end = dueAfter(local('2026-03-27T10:00', BERLIN), 1, 'business_days', { timeZone: BERLIN, holidayRegion: 'DE' });
    expect(wall(end, BERLIN)).toBe('2026-03-30T10:00:00.000 +02:00');
  });

  it('answers whether a day is a business day', () => {
    const day = (iso: string) => DateTime.fromISO(iso, { zone: NEW_YORK });
    expect(isNonBusinessDay(day('2026-11-26'), 'US')).toBe(true);
    expect(isNonBusinessDay(day('2026-11-26'), null)).toBe(false);
    expect(isNonBusinessDay(day('2026-11-28'), null)).toBe(true);
    expect(isNonBusinessDay(day('2026-11-27'), 'US')).toBe(false);
    expect(isPublicHoliday({ year: 2026, month: 7, day: 3 }, 'US')).toBe(true); // 4 July is a Saturday: observed Friday
    expect(isPublicHoliday({ year: 2026, month: 12, day: 24 }, 'DE')).toBe(false); // Heiligabend is not a public holiday
  });
});

describe('which holiday calendar a jurisdiction uses', () => {
  it.each([
    ['US', 'US'],
    ['US-NY', 'US-NY'],
    ['us-ca', 'US-CA'],
    ['UK', 'GB-ENG'],
    ['GB', 'GB-ENG'],
    ['UK-SCT', 'GB-SCT'],
    ['DE', 'DE'],
    ['DE-BY', 'DE-BY'],
    ['IN', 'IN'],
    ['EU', null],
    ['EEA', null],
    ['XX', null],
  ])('%s -> %s', (jurisdiction, region) => {
    expect(holidayRegionFor(jurisdiction)).toBe(region);
  });

  it('a subdivision the calendar does not know falls back to its country', () => {
    expect(holidayRegionFor('US-ZZ')).toBe('US');
  });

  it('takes the first jurisdiction with a calendar: a member state after the EU', () => {
    expect(holidayRegionOf(['EU', 'DE'])).toBe('DE');
    expect(holidayRegionOf(['EU'])).toBeNull();
    expect(holidayRegionOf([])).toBeNull();
  });
});
