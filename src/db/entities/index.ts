import { ApiTokenEntity } from './api-token.entity';
import { AuditEventEntity } from './audit-event.entity';
import { ClauseEntity } from './clause.entity';
import { ContractEntity } from './contract.entity';
import { CounterpartyEntity } from './counterparty.entity';
import { ObligationEntity } from './obligation.entity';

export { ApiTokenEntity, AuditEventEntity, ClauseEntity, ContractEntity, CounterpartyEntity, ObligationEntity };

export const ENTITIES = [CounterpartyEntity, ContractEntity, ClauseEntity, ObligationEntity, AuditEventEntity, ApiTokenEntity];
