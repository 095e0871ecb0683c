import { type FieldDef } from './rule-schema';

/**
 * Checks a field value against its declared kind (rules/clause-types.yaml).
 * Returns a description of the fault, or null when the value is acceptable.
 * null is always acceptable: it means "the clause does not say".
 */
export function fieldValueFault(def: FieldDef, value: unknown, units: readonly string[]): string | null {
  if (value === null) return null;
  const isPeriod = (v: unknown) =>
    typeof v === 'object' && v !== null && typeof (v as { duration?: unknown }).duration === 'number' && units.includes((v as { unit: string }).unit) && Object.keys(v).length === 2;
  switch (def.kind) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : `expected a number, got ${JSON.stringify(value)}`;
    case 'string':
      return typeof value === 'string' && value.trim() === value && value !== '' ? null : `expected a trimmed string, got ${JSON.stringify(value)}`;
    case 'boolean':
      return typeof value === 'boolean' ? null : `expected true or false, got ${JSON.stringify(value)}`;
    case 'enum':
      return def.values!.map(String).includes(String(value)) ? null : `expected one of ${def.values!.join(', ')}, got ${JSON.stringify(value)}`;
    case 'enum_list':
      if (!Array.isArray(value) || value.length === 0) return `expected a non-empty list, got ${JSON.stringify(value)}`;
      if (new Set(value).size !== value.length) return `list has duplicates: ${JSON.stringify(value)}`;
      for (const v of value) if (!def.values!.map(String).includes(String(v))) return `list value ${JSON.stringify(v)} is not one of ${def.values!.join(', ')}`;
      return null;
    case 'period':
      return isPeriod(value) ? null : `expected { duration, unit }, got ${JSON.stringify(value)}`;
    case 'cap': {
      const v = value as Record<string, unknown>;
      const keys = ['kind', 'multiple', 'lookback_months', 'amount', 'currency'];
      return typeof v === 'object' && keys.every((k) => k in v) && Object.keys(v).length === keys.length
        ? null
        : `expected { ${keys.join(', ')} }, got ${JSON.stringify(value)}`;
    }
    case 'parties':
      return Array.isArray(value) && value.every((p) => (typeof p?.name === 'string' || p?.name === null) && typeof p?.role === 'string')
        ? null
        : `expected [{ name, role }], got ${JSON.stringify(value)}`;
  }
}
