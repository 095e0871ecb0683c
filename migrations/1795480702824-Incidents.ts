import { type MigrationInterface, type QueryRunner } from "typeorm";

/**
 * Incidents, the counterparties they affect, and their tracked deadlines,
 * generated from the entities. No edits by hand beyond type-only imports.
 */

export class Incidents1795480702824 implements MigrationInterface {
    name = 'Incidents1795480702824'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "incident" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "title" text NOT NULL, "description" text, "origin" text NOT NULL, "status" text NOT NULL, "severity" text, "occurred_at" TIMESTAMP WITH TIME ZONE, "detected_at" TIMESTAMP WITH TIME ZONE, "aware_at" TIMESTAMP WITH TIME ZONE, "confirmed_at" TIMESTAMP WITH TIME ZONE, "determined_at" TIMESTAMP WITH TIME ZONE, "extortion_payment_at" TIMESTAMP WITH TIME ZONE, "data_categories" jsonb NOT NULL DEFAULT '[]', "jurisdictions" jsonb NOT NULL DEFAULT '[]', "sectors" jsonb NOT NULL DEFAULT '[]', "all_counterparties" boolean NOT NULL DEFAULT false, "affected_count" integer, "time_zone" text NOT NULL, "our_data_role" text, "revision" integer NOT NULL DEFAULT '1', "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_incident" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_incident_created_at" ON "incident"  ("created_at") `);
        await queryRunner.query(`CREATE INDEX "idx_incident_status" ON "incident"  ("status") `);
        await queryRunner.query(`CREATE TABLE "incident_counterparty" ("incident_id" uuid NOT NULL, "counterparty_id" uuid NOT NULL, "position" integer NOT NULL, CONSTRAINT "pk_incident_counterparty" PRIMARY KEY ("incident_id", "counterparty_id"))`);
        await queryRunner.query(`CREATE INDEX "idx_incident_counterparty_counterparty" ON "incident_counterparty"  ("counterparty_id") `);
        await queryRunner.query(`CREATE TABLE "incident_deadline" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "incident_id" uuid NOT NULL, "key" text NOT NULL, "title" text NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE, "qualifier" text, "policy_target_at" TIMESTAMP WITH TIME ZONE, "clock_name" text NOT NULL, "clock_at" TIMESTAMP WITH TIME ZONE NOT NULL, "notifier" text NOT NULL, "recipient" text NOT NULL, "method" jsonb NOT NULL DEFAULT '[]', "content" jsonb NOT NULL DEFAULT '[]', "recurrence" jsonb, "owed_by" text NOT NULL, "source" jsonb NOT NULL, "status" text NOT NULL DEFAULT 'open', "done_at" TIMESTAMP WITH TIME ZONE, "done_by" text, "note" text, "evidence_file_name" text, "not_applicable_reason" text, "withdrawn_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_incident_deadline_key" UNIQUE ("incident_id", "key"), CONSTRAINT "pk_incident_deadline" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_incident_deadline_due_at" ON "incident_deadline"  ("due_at") `);
        await queryRunner.query(`ALTER TABLE "incident_counterparty" ADD CONSTRAINT "fk_incident_counterparty_incident" FOREIGN KEY ("incident_id") REFERENCES "incident"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "incident_counterparty" ADD CONSTRAINT "fk_incident_counterparty_counterparty" FOREIGN KEY ("counterparty_id") REFERENCES "counterparty"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "incident_deadline" ADD CONSTRAINT "fk_incident_deadline_incident" FOREIGN KEY ("incident_id") REFERENCES "incident"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "incident_deadline" DROP CONSTRAINT "fk_incident_deadline_incident"`);
        await queryRunner.query(`ALTER TABLE "incident_counterparty" DROP CONSTRAINT "fk_incident_counterparty_counterparty"`);
        await queryRunner.query(`ALTER TABLE "incident_counterparty" DROP CONSTRAINT "fk_incident_counterparty_incident"`);
        await queryRunner.query(`DROP INDEX "public"."idx_incident_deadline_due_at"`);
        await queryRunner.query(`DROP TABLE "incident_deadline"`);
        await queryRunner.query(`DROP INDEX "public"."idx_incident_counterparty_counterparty"`);
        await queryRunner.query(`DROP TABLE "incident_counterparty"`);
        await queryRunner.query(`DROP INDEX "public"."idx_incident_status"`);
        await queryRunner.query(`DROP INDEX "public"."idx_incident_created_at"`);
        await queryRunner.query(`DROP TABLE "incident"`);
    }

}
