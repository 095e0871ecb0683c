import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { ContractEntity } from './contract.entity';

/** A clause as the extractor found it; `text` is the evidence, `start`/`end` its offsets in the contract's text. */
@Entity({ name: 'clause' })
@Index('idx_clause_contract', ['contractId'])
// Full-text search reads a stored tsvector: computing to_tsvector per row at query time
// cost five times as much on 200,000 obligations.
@Index('idx_clause_text_search', ['textSearch'], { type: 'gin' })
export class ClauseEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_clause' })
  id!: string;

  @Column({ name: 'contract_id', type: 'uuid' })
  contractId!: string;

  @ManyToOne(() => ContractEntity, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'contract_id', foreignKeyConstraintName: 'fk_clause_contract' })
  contract?: Relation<ContractEntity>;

  @Column({ type: 'text' })
  type!: string;

  @Column({ name: 'rule_id', type: 'text' })
  ruleId!: string;

  @Column({ type: 'integer' })
  start!: number;

  @Column({ type: 'integer' })
  end!: number;

  @Column({ type: 'integer' })
  page!: number;

  @Column({ type: 'text' })
  text!: string;

  /** Kept by the database from `text`; searches match `websearch_to_tsquery('english', q)` against it. */
  @Column({
    name: 'text_search',
    type: 'tsvector',
    generatedType: 'STORED',
    asExpression: `to_tsvector('english', "text")`,
    nullable: true,
    select: false,
    insert: false,
    update: false,
  })
  textSearch?: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  fields!: Record<string, unknown>;

  @Column({ type: 'double precision' })
  confidence!: number;
}
