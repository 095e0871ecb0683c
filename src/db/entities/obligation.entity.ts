import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { ClauseEntity } from './clause.entity';
import { ContractEntity } from './contract.entity';
import { CounterpartyEntity } from './counterparty.entity';
import { type ObligationAction, type ObligationDeadline, type ObligationTrigger, type Party } from '../../obligations/types';

/** A duty a clause creates. The counterparty is copied from the contract so search filters on it without a join. */
@Entity({ name: 'obligation' })
@Index('idx_obligation_contract', ['contractId'])
@Index('idx_obligation_clause', ['clauseId'])
@Index('idx_obligation_counterparty', ['counterpartyId'])
@Index('idx_obligation_type', ['type'])
@Index('idx_obligation_action', ['action'])
export class ObligationEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_obligation' })
  id!: string;

  @Column({ name: 'contract_id', type: 'uuid' })
  contractId!: string;

  @ManyToOne(() => ContractEntity, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'contract_id', foreignKeyConstraintName: 'fk_obligation_contract' })
  contract?: Relation<ContractEntity>;

  @Column({ name: 'clause_id', type: 'uuid' })
  clauseId!: string;

  @ManyToOne(() => ClauseEntity, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'clause_id', foreignKeyConstraintName: 'fk_obligation_clause' })
  clause?: Relation<ClauseEntity>;

  @Column({ name: 'counterparty_id', type: 'uuid' })
  counterpartyId!: string;

  @ManyToOne(() => CounterpartyEntity, { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'counterparty_id', foreignKeyConstraintName: 'fk_obligation_counterparty' })
  counterparty?: Relation<CounterpartyEntity>;

  /** index into the clause list the obligations were derived from */
  @Column({ name: 'clause_index', type: 'integer' })
  clauseIndex!: number;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'text' })
  obligor!: Party;

  @Column({ type: 'text' })
  beneficiary!: Party;

  @Column({ type: 'text' })
  action!: ObligationAction;

  @Column({ type: 'text' })
  trigger!: ObligationTrigger;

  @Column({ type: 'jsonb', nullable: true })
  deadline!: ObligationDeadline | null;

  @Column({ type: 'text' })
  summary!: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details!: Record<string, unknown>;
}
