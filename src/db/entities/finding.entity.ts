import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { ClauseEntity } from './clause.entity';
import { ContractEntity } from './contract.entity';

/**
 * One policy item's outcome for a contract. Kept apart from the clauses so a
 * missing clause is a finding too; `clause_id` goes null rather than the
 * finding going away if its clause is deleted, so a scorecard never loses a row.
 */
@Entity({ name: 'finding' })
@Index('uq_finding_contract_item', ['contractId', 'itemId'], { unique: true })
@Index('idx_finding_clause', ['clauseId'])
export class FindingEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_finding' })
  id!: string;

  @Column({ name: 'contract_id', type: 'uuid' })
  contractId!: string;

  @ManyToOne(() => ContractEntity, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'contract_id', foreignKeyConstraintName: 'fk_finding_contract' })
  contract?: Relation<ContractEntity>;

  /** Where the item stands in the policy, so the scorecard reads in the policy's order. */
  @Column({ type: 'integer' })
  position!: number;

  @Column({ name: 'item_id', type: 'text' })
  itemId!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ name: 'clause_type', type: 'text' })
  clauseType!: string;

  @Column({ type: 'text' })
  outcome!: string;

  @Column({ type: 'text' })
  detail!: string;

  @Column({ name: 'clause_id', type: 'uuid', nullable: true })
  clauseId!: string | null;

  @ManyToOne(() => ClauseEntity, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'clause_id', foreignKeyConstraintName: 'fk_finding_clause' })
  clause?: Relation<ClauseEntity> | null;

  @Column({ type: 'jsonb', nullable: true })
  value!: Record<string, unknown> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
