import { type MigrationInterface, type QueryRunner } from "typeorm";

/**
 * Findings: each policy item's outcome per contract, generated from the
 * entities. No edits by hand beyond type-only imports.
 */

export class Findings1795483510635 implements MigrationInterface {
    name = 'Findings1795483510635'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "finding" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "contract_id" uuid NOT NULL, "position" integer NOT NULL, "item_id" text NOT NULL, "title" text NOT NULL, "clause_type" text NOT NULL, "outcome" text NOT NULL, "detail" text NOT NULL, "clause_id" uuid, "value" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_finding" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_finding_clause" ON "finding"  ("clause_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_finding_contract_item" ON "finding"  ("contract_id", "item_id") `);
        await queryRunner.query(`ALTER TABLE "finding" ADD CONSTRAINT "fk_finding_contract" FOREIGN KEY ("contract_id") REFERENCES "contract"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "finding" ADD CONSTRAINT "fk_finding_clause" FOREIGN KEY ("clause_id") REFERENCES "clause"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "finding" DROP CONSTRAINT "fk_finding_clause"`);
        await queryRunner.query(`ALTER TABLE "finding" DROP CONSTRAINT "fk_finding_contract"`);
        await queryRunner.query(`DROP INDEX "public"."uq_finding_contract_item"`);
        await queryRunner.query(`DROP INDEX "public"."idx_finding_clause"`);
        await queryRunner.query(`DROP TABLE "finding"`);
    }

}
