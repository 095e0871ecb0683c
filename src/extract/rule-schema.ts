import { z } from 'zod';

/**
 * The schema of rule files (rules/clauses/<type>/<slug>.yaml), of the clause
 * type catalogue (rules/clause-types.yaml) and of the shared vocabulary
 * (rules/vocabulary.yaml). Validated at load; a broken file stops start-up.
 */

const Pattern = z.string().min(1, 'an empty pattern matches everything');

const Anchored = z
  .object({
    after: Pattern.optional(),
    before: Pattern.optional(),
  })
  .strict();

const ValueMap = z.record(z.string().min(1), Pattern).refine((m) => Object.keys(m).length > 0, 'needs at least one value');

export const FieldSpecSchema = z
  .object({
    set: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(5)]),
    duration: Anchored.optional(),
    period: Anchored.optional(),
    number: Anchored.optional(),
    percent: Anchored.optional(),
    money: Anchored.optional(),
    multiple: Anchored.optional(),
    lookback: z.object({}).strict().optional(),
    cap: Anchored.optional(),
    first: ValueMap.optional(),
    pick: ValueMap.optional(),
    all: ValueMap.optional(),
    flag: z.union([Pattern, z.object({ true: Pattern.optional(), false: Pattern.optional() }).strict()]).optional(),
    party: Anchored.optional(),
    capture: Pattern.optional(),
    jurisdiction: Anchored.optional(),
    parties: z.object({}).strict().optional(),
    cell: z.object({ header: Pattern, as: z.enum(['period', 'number', 'percent', 'string']) }).strict().optional(),
    const: z.union([z.string(), z.number(), z.boolean()]).optional(),
  })
  .strict();

export type FieldSpec = z.infer<typeof FieldSpecSchema>;

export const EXTRACTOR_KINDS = [
  'duration', 'period', 'number', 'percent', 'money', 'multiple', 'lookback', 'cap', 'first', 'pick', 'all', 'flag',
  'party', 'capture', 'jurisdiction', 'parties', 'cell', 'const',
] as const;
export type ExtractorKind = (typeof EXTRACTOR_KINDS)[number];

/** How many fields each extractor fills. */
export const EXTRACTOR_ARITY: Record<ExtractorKind, number> = {
  duration: 2, period: 1, number: 1, percent: 1, money: 2, multiple: 1, lookback: 1, cap: 5, first: 1, pick: 1, all: 1,
  flag: 1, party: 1, capture: 1, jurisdiction: 1, parties: 1, cell: 1, const: 1,
};

const ExampleFields = z.record(z.string(), z.unknown());

export const RuleSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]*\.[a-z0-9][a-z0-9-]*$/, 'must be <type>.<slug> (lower case, digits, dashes)'),
    type: z.string().min(1),
    description: z.string().min(10, 'say in a sentence what the rule finds'),
    confidence: z.number().gt(0).lte(1).default(0.8),
    scope: z.array(z.enum(['sentence', 'item', 'row', 'definition', 'heading'])).min(1).default(['sentence', 'item', 'row']),
    define: z.record(z.string().regex(/^[a-z_][a-z0-9_]*$/), Pattern).default({}),
    match: z
      .object({
        all: z.array(Pattern).default([]),
        any: z.array(Pattern).default([]),
        none: z.array(Pattern).default([]),
        near: z.array(z.tuple([Pattern, Pattern, z.number().int().positive()])).default([]),
        context: z.array(Pattern).default([]),
      })
      .strict()
      .refine((m) => m.all.length + m.any.length > 0, 'needs at least one pattern in `all` or `any`'),
    fields: z.array(FieldSpecSchema).default([]),
    examples: z
      .object({
        match: z
          .array(
            z
              .object({
                text: z.string().min(1),
                span: z.string().min(1).default('whole'),
                fields: ExampleFields.default({}),
              })
              .strict(),
          )
          .min(1, 'a rule needs at least one example it must match'),
        no_match: z
          .array(z.union([z.string().min(1), z.object({ text: z.string().min(1), why: z.string().optional() }).strict()]))
          .min(1, 'a rule needs at least one near miss it must not match'),
        todo: z
          .array(z.object({ text: z.string().min(1), span: z.string().optional(), fields: ExampleFields.optional(), why: z.string().optional() }).strict())
          .default([]),
      })
      .strict(),
  })
  .strict();

export type RuleDoc = z.infer<typeof RuleSchema>;

const FieldKind = z.enum(['number', 'string', 'boolean', 'enum', 'enum_list', 'period', 'cap', 'parties']);

export const TypeCatalogueSchema = z
  .object({
    units: z.array(z.string()).min(1),
    types: z.record(
      z.string().regex(/^[a-z][a-z0-9_]*$/),
      z
        .object({
          description: z.string(),
          core: z.array(z.string()).min(1),
          keywords: z.array(z.string().min(2).regex(/^[a-z0-9][a-z0-9 .'’-]*$/, 'lower-case word starts: letters, digits, spaces, dots, hyphens')).min(1),
          inherit: z.array(z.string()).default([]),
          merge_items: z.boolean().default(false),
          split_inline: z.boolean().default(false),
          split_at: z.string().optional(),
          counterparts: z.array(z.tuple([z.string(), z.string()])).default([]),
          fields: z.record(
            z.string().regex(/^[a-z][a-z0-9_]*$/),
            z
              .object({ kind: FieldKind, values: z.array(z.union([z.string(), z.number()])).optional(), doc: z.string().optional() })
              .strict(),
          ),
        })
        .strict()
        .refine((t) => t.core.every((c) => c in t.fields) && t.inherit.every((c) => c in t.fields), 'every core and inherited field must be declared under `fields`'),
    ),
  })
  .strict();

export type TypeCatalogue = z.infer<typeof TypeCatalogueSchema>;
export type FieldDef = TypeCatalogue['types'][string]['fields'][string];

export const VocabularySchema = z
  .object({
    macros: z.record(z.string().regex(/^[a-z_][a-z0-9_]*$/), Pattern),
    party_terms: z.array(z.string().min(1)).min(1),
  })
  .strict();

export type Vocabulary = z.infer<typeof VocabularySchema>;
