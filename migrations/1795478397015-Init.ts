import { type MigrationInterface, type QueryRunner } from "typeorm";

/**
 * The first schema, generated from the entities. One edit by hand: the generator
 * wrote the name of the database it ran against into the generated-column
 * bookkeeping rows; they name the database the migration runs in instead, so the
 * schema diff stays empty on every database (embedded, tests, production).
 */

export class Init1795478397015 implements MigrationInterface {
    name = 'Init1795478397015'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "api_token" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "role" text NOT NULL, "hash" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, "expires_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "uq_api_token_hash" UNIQUE ("hash"), CONSTRAINT "pk_api_token" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE TABLE "audit_event" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "actor" text NOT NULL, "action" text NOT NULL, "entity" text NOT NULL, "entity_id" text, "details" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "pk_audit_event" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_audit_event_at" ON "audit_event"  ("at") `);
        await queryRunner.query(`CREATE TABLE "counterparty" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "normalized_name" text NOT NULL, "aliases" jsonb NOT NULL DEFAULT '[]', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_counterparty_normalized_name" UNIQUE ("normalized_name"), CONSTRAINT "pk_counterparty" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE TABLE "contract" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "counterparty_id" uuid NOT NULL, "our_role" text NOT NULL, "title" text, "kind" text, "file_name" text NOT NULL, "media_type" text NOT NULL, "size" integer NOT NULL, "sha256" text NOT NULL, "bytes" bytea NOT NULL, "text" text, "pages" jsonb, "status" text NOT NULL DEFAULT 'queued', "error_code" text, "error_detail" text, "page_count" integer, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_contract_counterparty_sha256" UNIQUE ("counterparty_id", "sha256"), CONSTRAINT "pk_contract" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_contract_status" ON "contract"  ("status") `);
        await queryRunner.query(`INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES ($1, $2, $3, $4, $5, $6)`, [await currentDatabase(queryRunner),"public","clause","GENERATED_COLUMN","text_search","to_tsvector('english', \"text\")"]);
        await queryRunner.query(`CREATE TABLE "clause" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "contract_id" uuid NOT NULL, "type" text NOT NULL, "rule_id" text NOT NULL, "start" integer NOT NULL, "end" integer NOT NULL, "page" integer NOT NULL, "text" text NOT NULL, "text_search" tsvector GENERATED ALWAYS AS (to_tsvector('english', "text")) STORED, "fields" jsonb NOT NULL DEFAULT '{}', "confidence" double precision NOT NULL, CONSTRAINT "pk_clause" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_clause_text_search" ON "clause" USING gin ("text_search") `);
        await queryRunner.query(`CREATE INDEX "idx_clause_contract" ON "clause"  ("contract_id") `);
        await queryRunner.query(`CREATE TABLE "obligation" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "contract_id" uuid NOT NULL, "clause_id" uuid NOT NULL, "counterparty_id" uuid NOT NULL, "clause_index" integer NOT NULL, "type" text NOT NULL, "obligor" text NOT NULL, "beneficiary" text NOT NULL, "action" text NOT NULL, "trigger" text NOT NULL, "deadline" jsonb, "summary" text NOT NULL, "details" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "pk_obligation" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_obligation_action" ON "obligation"  ("action") `);
        await queryRunner.query(`CREATE INDEX "idx_obligation_type" ON "obligation"  ("type") `);
        await queryRunner.query(`CREATE INDEX "idx_obligation_counterparty" ON "obligation"  ("counterparty_id") `);
        await queryRunner.query(`CREATE INDEX "idx_obligation_clause" ON "obligation"  ("clause_id") `);
        await queryRunner.query(`CREATE INDEX "idx_obligation_contract" ON "obligation"  ("contract_id") `);
        await queryRunner.query(`ALTER TABLE "contract" ADD CONSTRAINT "fk_contract_counterparty" FOREIGN KEY ("counterparty_id") REFERENCES "counterparty"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "clause" ADD CONSTRAINT "fk_clause_contract" FOREIGN KEY ("contract_id") REFERENCES "contract"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "obligation" ADD CONSTRAINT "fk_obligation_contract" FOREIGN KEY ("contract_id") REFERENCES "contract"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "obligation" ADD CONSTRAINT "fk_obligation_clause" FOREIGN KEY ("clause_id") REFERENCES "clause"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "obligation" ADD CONSTRAINT "fk_obligation_counterparty" FOREIGN KEY ("counterparty_id") REFERENCES "counterparty"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "obligation" DROP CONSTRAINT "fk_obligation_counterparty"`);
        await queryRunner.query(`ALTER TABLE "obligation" DROP CONSTRAINT "fk_obligation_clause"`);
        await queryRunner.query(`ALTER TABLE "obligation" DROP CONSTRAINT "fk_obligation_contract"`);
        await queryRunner.query(`ALTER TABLE "clause" DROP CONSTRAINT "fk_clause_contract"`);
        await queryRunner.query(`ALTER TABLE "contract" DROP CONSTRAINT "fk_contract_counterparty"`);
        await queryRunner.query(`DROP INDEX "public"."idx_obligation_contract"`);
        await queryRunner.query(`DROP INDEX "public"."idx_obligation_clause"`);
        await queryRunner.query(`DROP INDEX "public"."idx_obligation_counterparty"`);
        await queryRunner.query(`DROP INDEX "public"."idx_obligation_type"`);
        await queryRunner.query(`DROP INDEX "public"."idx_obligation_action"`);
        await queryRunner.query(`DROP TABLE "obligation"`);
        await queryRunner.query(`DROP INDEX "public"."idx_clause_contract"`);
        await queryRunner.query(`DROP INDEX "public"."idx_clause_text_search"`);
        await queryRunner.query(`DROP TABLE "clause"`);
        await queryRunner.query(`DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = $3 AND "schema" = $4 AND "table" = $5`, ["GENERATED_COLUMN","text_search",await currentDatabase(queryRunner),"public","clause"]);
        await queryRunner.query(`DROP INDEX "public"."idx_contract_status"`);
        await queryRunner.query(`DROP TABLE "contract"`);
        await queryRunner.query(`DROP TABLE "counterparty"`);
        await queryRunner.query(`DROP INDEX "public"."idx_audit_event_at"`);
        await queryRunner.query(`DROP TABLE "audit_event"`);
        await queryRunner.query(`DROP TABLE "api_token"`);
    }

}

async function currentDatabase(queryRunner: QueryRunner): Promise<string> {
    const rows = (await queryRunner.query(`SELECT current_database() AS name`)) as { name: string }[];
    return rows[0].name;
}
