import { type Clause } from '../../src/extract';

/** A clause as the extractor would give it, for checks that only read type and fields. */
export function clause(type: string, fields: Record<string, unknown>, index = 0): Clause {
  return { type, ruleId: `${type}.example`, start: index * 100, end: index * 100 + 50, page: 1, text: `${type} clause ${index}`, fields: fields as Clause['fields'], confidence: 0.9 };
}
