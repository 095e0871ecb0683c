import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { type DataCategory, type IncidentOrigin, type IncidentStatus } from '../../obligations/incident-types';

/**
 * An incident as declared and updated by responders. Times are instants
 * (timestamptz); `time_zone` only decides how days are counted and how times
 * are shown. The counterparties affected are rows of incident_counterparty,
 * unless `all_counterparties` (every customer) is set.
 */
@Entity({ name: 'incident' })
@Index('idx_incident_status', ['status'])
@Index('idx_incident_created_at', ['createdAt'])
export class IncidentEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_incident' })
  id!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'text' })
  origin!: IncidentOrigin;

  @Column({ type: 'text' })
  status!: IncidentStatus;

  @Column({ type: 'text', nullable: true })
  severity!: string | null;

  @Column({ name: 'occurred_at', type: 'timestamptz', nullable: true })
  occurredAt!: Date | null;

  @Column({ name: 'detected_at', type: 'timestamptz', nullable: true })
  detectedAt!: Date | null;

  @Column({ name: 'aware_at', type: 'timestamptz', nullable: true })
  awareAt!: Date | null;

  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt!: Date | null;

  @Column({ name: 'determined_at', type: 'timestamptz', nullable: true })
  determinedAt!: Date | null;

  @Column({ name: 'extortion_payment_at', type: 'timestamptz', nullable: true })
  extortionPaymentAt!: Date | null;

  @Column({ name: 'data_categories', type: 'jsonb', default: () => "'[]'" })
  dataCategories!: DataCategory[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  jurisdictions!: string[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  sectors!: string[];

  /** every customer is affected; incident_counterparty then stays empty */
  @Column({ name: 'all_counterparties', type: 'boolean', default: false })
  allCounterparties!: boolean;

  @Column({ name: 'affected_count', type: 'integer', nullable: true })
  affectedCount!: number | null;

  @Column({ name: 'time_zone', type: 'text' })
  timeZone!: string;

  @Column({ name: 'our_data_role', type: 'text', nullable: true })
  ourDataRole!: 'controller' | 'processor' | null;

  /** Bumped by every update, so a re-computation based on older facts cannot overwrite a newer one. */
  @Column({ type: 'integer', default: 1 })
  revision!: number;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
