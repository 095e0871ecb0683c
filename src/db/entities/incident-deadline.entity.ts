import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, Unique, UpdateDateColumn } from 'typeorm';
import { IncidentEntity } from './incident.entity';
import { type ClockName, type DeadlineSource } from '../../obligations/incident-types';

/**
 * A deadline an incident started, as last computed, with what people recorded
 * about it. Re-computation updates the computed columns of a row found by its
 * `key` and never touches the tracked ones (status, done, note, evidence).
 * A deadline that no longer applies is withdrawn, not deleted: what was done
 * about it stays on record, and comes back with it if the change is undone.
 */
@Entity({ name: 'incident_deadline' })
@Unique('uq_incident_deadline_key', ['incidentId', 'key'])
@Index('idx_incident_deadline_due_at', ['dueAt'])
export class IncidentDeadlineEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_incident_deadline' })
  id!: string;

  @Column({ name: 'incident_id', type: 'uuid' })
  incidentId!: string;

  @ManyToOne(() => IncidentEntity, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'incident_id', foreignKeyConstraintName: 'fk_incident_deadline_incident' })
  incident?: Relation<IncidentEntity>;

  @Column({ type: 'text' })
  key!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ name: 'due_at', type: 'timestamptz', nullable: true })
  dueAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  qualifier!: string | null;

  @Column({ name: 'policy_target_at', type: 'timestamptz', nullable: true })
  policyTargetAt!: Date | null;

  @Column({ name: 'clock_name', type: 'text' })
  clockName!: ClockName;

  @Column({ name: 'clock_at', type: 'timestamptz' })
  clockAt!: Date;

  @Column({ type: 'text' })
  notifier!: string;

  @Column({ type: 'text' })
  recipient!: string;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  method!: string[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  content!: string[];

  @Column({ type: 'jsonb', nullable: true })
  recurrence!: { everyHours: number; occurrence: number } | null;

  @Column({ name: 'owed_by', type: 'text' })
  owedBy!: 'us' | 'counterparty';

  @Column({ type: 'jsonb' })
  source!: DeadlineSource;

  /** open | done | not_applicable; missed is worked out on read */
  @Column({ type: 'text', default: 'open' })
  status!: 'open' | 'done' | 'not_applicable';

  @Column({ name: 'done_at', type: 'timestamptz', nullable: true })
  doneAt!: Date | null;

  @Column({ name: 'done_by', type: 'text', nullable: true })
  doneBy!: string | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ name: 'evidence_file_name', type: 'text', nullable: true })
  evidenceFileName!: string | null;

  @Column({ name: 'not_applicable_reason', type: 'text', nullable: true })
  notApplicableReason!: string | null;

  /** set when a re-computation no longer gives this deadline */
  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true })
  withdrawnAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
