import { type IncidentRecord, type TrackedDeadline } from '../obligations/incident-types';

export interface ReminderScheduler {
  /** 'disabled' when no webhook is configured (every call is then a no-op) */
  readonly mode: 'redis' | 'in-process' | 'disabled';
  /** Replace the incident's pending reminders with ones for these deadlines (open ones with a due time or policy target). */
  schedule(incident: IncidentRecord, deadlines: TrackedDeadline[]): Promise<void>;
  cancel(incidentId: string): Promise<void>;
  /**
   * Start sending the reminders that fall due. With Redis, the process that
   * runs the workers (`pactwatch worker`) calls it; the API process only
   * schedules. In-process timers need no start.
   */
  start(): Promise<void>;
  /** The incident's reminders still to send, soonest first. */
  pending(incidentId: string): Promise<PendingReminder[]>;
  close(): Promise<void>;
}

export interface PendingReminder {
  id: string;
  deadlineId: string;
  at: Date;
  leadMinutes: number;
}

/** Attempts in all (the first included), and the first retry's delay; each later retry waits twice as long. */
export interface ReminderRetry {
  attempts: number;
  backoffMs: number;
}

export const DEFAULT_REMINDER_RETRY: ReminderRetry = { attempts: 5, backoffMs: 30_000 };
