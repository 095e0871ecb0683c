import { loadConfig, parseLeadTimes } from '../../src/config';

it('reads lead times like "24h,4h,30m", longest first', () => {
  expect(parseLeadTimes('1h, 24h,30m,2d,1h')).toEqual([2880, 1440, 60, 30]);
  expect(loadConfig({ PACTWATCH_REMINDER_LEAD_TIMES: '4h,1h' }).reminderLeadTimesMinutes).toEqual([240, 60]);
  expect(loadConfig({}).reminderLeadTimesMinutes).toEqual([1440, 240, 60]);
});

it('stops start-up on a bad lead time, naming the variable', () => {
  expect(() => loadConfig({ PACTWATCH_REMINDER_LEAD_TIMES: '24 hours' })).toThrow(/PACTWATCH_REMINDER_LEAD_TIMES/);
  expect(() => loadConfig({ PACTWATCH_REMINDER_LEAD_TIMES: '0h' })).toThrow(/PACTWATCH_REMINDER_LEAD_TIMES/);
});

it('sends no reminders unless a webhook is configured, and never unsigned ones', () => {
  expect(loadConfig({})).toMatchObject({ webhookUrl: null, webhookSecret: null });
  expect(() => loadConfig({ PACTWATCH_WEBHOOK_URL: 'https://hooks.example/x' })).toThrow(/PACTWATCH_WEBHOOK_SECRET/);
  expect(() => loadConfig({ PACTWATCH_WEBHOOK_URL: 'ftp://hooks.example/x', PACTWATCH_WEBHOOK_SECRET: 'x'.repeat(16) })).toThrow(/PACTWATCH_WEBHOOK_URL/);
  expect(() => loadConfig({ PACTWATCH_WEBHOOK_URL: 'https://hooks.example/x', PACTWATCH_WEBHOOK_SECRET: 'short' })).toThrow(/PACTWATCH_WEBHOOK_SECRET/);
  expect(loadConfig({ PACTWATCH_WEBHOOK_URL: ' https://hooks.example/x ', PACTWATCH_WEBHOOK_SECRET: 'x'.repeat(16) })).toMatchObject({
    webhookUrl: 'https://hooks.example/x',
    webhookSecret: 'x'.repeat(16),
  });
});
