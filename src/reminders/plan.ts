import { type IncidentRecord, type TrackedDeadline } from '../obligations/incident-types';
import { reminderData, type ReminderData } from './webhook';

export interface PlannedReminder {
  id: string;
  incidentId: string;
  deadlineId: string;
  at: Date;
  data: ReminderData;
}

/**
 * The reminders still to send for an incident: one per lead time before each
 * open deadline's due time (or, without one, its policy target). A reminder
 * whose time has already passed is dropped rather than sent late: schedule()
 * runs again on every change, and a late one would be sent again each time.
 */
export function planReminders(incident: IncidentRecord, deadlines: readonly TrackedDeadline[], leadTimesMinutes: readonly number[], now: Date): PlannedReminder[] {
  const out: PlannedReminder[] = [];
  for (const d of deadlines) {
    if (d.status !== 'open') continue;
    const anchorAt = d.dueAt ?? d.policyTargetAt;
    if (!anchorAt || anchorAt.getTime() <= now.getTime()) continue;
    const anchor = d.dueAt ? 'due' : 'policy_target';
    for (const minutes of new Set(leadTimesMinutes)) {
      const at = new Date(anchorAt.getTime() - minutes * 60_000);
      if (at.getTime() <= now.getTime()) continue;
      const data = reminderData(incident, d, minutes, anchor, at);
      out.push({ id: data.reminderId, incidentId: incident.id, deadlineId: d.id, at, data });
    }
  }
  return out.sort((a, b) => a.at.getTime() - b.at.getTime() || a.id.localeCompare(b.id));
}
