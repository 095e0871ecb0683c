/**
 * What an incident's deadlines are turned into for people: calendar and CSV
 * exports, a printable report, the communication plan and notification
 * drafts. Pure renderers: the clock and every fact come in as arguments.
 */
export { renderIcs, type IcsOptions } from './ics';
export { renderCsv } from './csv';
export { renderReport, escapeHtml } from './report';
export { communicationPlan, notificationDrafts, type PlanRow, type NotificationDraft } from './plan';
