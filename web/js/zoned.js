// Wall-clock times typed into a form are read in the incident's time zone,
// which need not be the browser's: convert with the zone's offset at that
// moment (checked twice, so times next to a daylight-saving change come out right).

function offsetMs(timeZone, at) {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(at);
  const n = Object.fromEntries(parts.filter((p) => p.type !== 'literal').map((p) => [p.type, Number(p.value)]));
  return Date.UTC(n.year, n.month - 1, n.day, n.hour, n.minute, n.second) - Math.floor(at.getTime() / 1000) * 1000;
}

/** "2026-03-02T09:00" in `timeZone` → ISO UTC string; '' → null. */
export function wallClockToUtc(value, timeZone) {
  if (!value) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  let guess = asUtc - offsetMs(timeZone, new Date(asUtc));
  guess = asUtc - offsetMs(timeZone, new Date(guess));
  return new Date(guess).toISOString();
}

/** The current time as a datetime-local value in `timeZone`. */
export function nowInZone(timeZone) {
  const now = new Date();
  const local = new Date(now.getTime() + offsetMs(timeZone, now));
  return local.toISOString().slice(0, 16);
}

export function browserZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function zones() {
  try {
    const all = Intl.supportedValuesOf('timeZone');
    return all.includes('UTC') ? all : ['UTC', ...all];
  } catch {
    return ['UTC', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Asia/Kolkata', 'Asia/Singapore', 'Australia/Sydney'];
  }
}
