import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { CounterpartyEntity } from './counterparty.entity';
import { IncidentEntity } from './incident.entity';

/** A counterparty an incident affects (the vendor, or a customer), in the order the responder named them. */
@Entity({ name: 'incident_counterparty' })
@Index('idx_incident_counterparty_counterparty', ['counterpartyId'])
export class IncidentCounterpartyEntity {
  @PrimaryColumn({ name: 'incident_id', type: 'uuid', primaryKeyConstraintName: 'pk_incident_counterparty' })
  incidentId!: string;

  @PrimaryColumn({ name: 'counterparty_id', type: 'uuid', primaryKeyConstraintName: 'pk_incident_counterparty' })
  counterpartyId!: string;

  @ManyToOne(() => IncidentEntity, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'incident_id', foreignKeyConstraintName: 'fk_incident_counterparty_incident' })
  incident?: Relation<IncidentEntity>;

  @ManyToOne(() => CounterpartyEntity, { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'counterparty_id', foreignKeyConstraintName: 'fk_incident_counterparty_counterparty' })
  counterparty?: Relation<CounterpartyEntity>;

  @Column({ type: 'integer' })
  position!: number;
}
