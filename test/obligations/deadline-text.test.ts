import { deadlineText } from '../../src/obligations/deadline-text';

describe('a deadline in words', () => {
  it.each([
    [{ amount: 48, unit: 'hours', qualifier: 'without undue delay', recurring: false }, '48 hours; without undue delay'],
    [{ amount: 72, unit: 'hours', qualifier: null, recurring: false }, '72 hours'],
    [{ amount: 1, unit: 'business_days', qualifier: null, recurring: false }, '1 business day'],
    [{ amount: null, unit: null, qualifier: 'promptly', recurring: false }, 'promptly'],
    [{ amount: 24, unit: 'hours', qualifier: null, recurring: true }, 'every 24 hours'],
    [{ amount: 1, unit: 'days', qualifier: null, recurring: true }, 'every day'],
    [{ amount: 30, unit: 'days', qualifier: null, recurring: false, advance: true }, '30 days in advance'],
  ] as const)('%j reads "%s"', (deadline, words) => {
    expect(deadlineText(deadline)).toBe(words);
  });

  it('is empty for a duty with no deadline', () => {
    expect(deadlineText(null)).toBe('');
  });
});
