import { ApiTokenEntity } from './api-token.entity';
import { AuditEventEntity } from './audit-event.entity';
import { ClauseEntity } from './clause.entity';
import { ContractEntity } from './contract.entity';
import { CounterpartyEntity } from './counterparty.entity';
import { FindingEntity } from './finding.entity';
import { IncidentCounterpartyEntity } from './incident-counterparty.entity';
import { IncidentDeadlineEntity } from './incident-deadline.entity';
import { IncidentEntity } from './incident.entity';
import { ObligationEntity } from './obligation.entity';

export {
  ApiTokenEntity,
  AuditEventEntity,
  ClauseEntity,
  ContractEntity,
  CounterpartyEntity,
  FindingEntity,
  IncidentCounterpartyEntity,
  IncidentDeadlineEntity,
  IncidentEntity,
  ObligationEntity,
};

export const ENTITIES = [
  CounterpartyEntity,
  ContractEntity,
  ClauseEntity,
  ObligationEntity,
  FindingEntity,
  AuditEventEntity,
  ApiTokenEntity,
  IncidentEntity,
  IncidentCounterpartyEntity,
  IncidentDeadlineEntity,
];
