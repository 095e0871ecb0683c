import { get } from './api.js';
import { humanize } from './dom.js';

/** The API's vocabularies (clause types, actions, data categories, ...), loaded once per sign-in. */
export const meta = { value: null };

export async function loadMeta() {
  meta.value = await get('/meta');
  return meta.value;
}

/** Label of a clause type, or the id made readable. */
export function typeLabel(type) {
  return humanize(type);
}

/** Index of a clause type in the catalogue: picks its highlight colour (t-0 ... t-15). */
export function typeClass(type) {
  const i = meta.value?.clauseTypes?.findIndex((t) => t.id === type) ?? -1;
  return `t-${i < 0 ? 'x' : i % 16}`;
}

export function errorText(code) {
  return meta.value?.documentErrors?.find((e) => e.code === code)?.meaning ?? null;
}
