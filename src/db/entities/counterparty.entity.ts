import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** A party we have contracts with, found again by its normalized name whatever way it was typed. */
@Entity({ name: 'counterparty' })
@Unique('uq_counterparty_normalized_name', ['normalizedName'])
export class CounterpartyEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_counterparty' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'normalized_name', type: 'text' })
  normalizedName!: string;

  /** other spellings seen on uploads ("Northwind Security, Inc." beside "Northwind Security") */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  aliases!: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
