import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, Unique, UpdateDateColumn } from 'typeorm';
import { CounterpartyEntity } from './counterparty.entity';
import { type ContractStatus, type OurRole, type StoredPage } from '../store';

@Entity({ name: 'contract' })
// One file per counterparty: the same upload twice is recognized, not processed twice.
@Unique('uq_contract_counterparty_sha256', ['counterpartyId', 'sha256'])
@Index('idx_contract_status', ['status'])
export class ContractEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_contract' })
  id!: string;

  @Column({ name: 'counterparty_id', type: 'uuid' })
  counterpartyId!: string;

  @ManyToOne(() => CounterpartyEntity, { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'counterparty_id', foreignKeyConstraintName: 'fk_contract_counterparty' })
  counterparty?: Relation<CounterpartyEntity>;

  @Column({ name: 'our_role', type: 'text' })
  ourRole!: OurRole;

  @Column({ type: 'text', nullable: true })
  title!: string | null;

  @Column({ type: 'text', nullable: true })
  kind!: string | null;

  @Column({ name: 'file_name', type: 'text' })
  fileName!: string;

  @Column({ name: 'media_type', type: 'text' })
  mediaType!: string;

  @Column({ type: 'integer' })
  size!: number;

  @Column({ type: 'text' })
  sha256!: string;

  // The large columns are loaded only by the methods that return them.
  @Column({ type: 'bytea', select: false })
  bytes!: Buffer;

  @Column({ type: 'text', nullable: true, select: false })
  text!: string | null;

  @Column({ type: 'jsonb', nullable: true, select: false })
  pages!: StoredPage[] | null;

  @Column({ type: 'text', default: 'queued' })
  status!: ContractStatus;

  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode!: string | null;

  @Column({ name: 'error_detail', type: 'text', nullable: true })
  errorDetail!: string | null;

  @Column({ name: 'page_count', type: 'integer', nullable: true })
  pageCount!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
