import request from 'supertest';
import { ROLE_PERMISSIONS } from '../../src/auth/permissions';
import { bearer, harness, ROLES } from './app-harness';

describe('GET /api/v1/me', () => {
  it.each(ROLES)('as %s: names the token, its role and what that role may do', async (role) => {
    const h = await harness();
    const res = await request(h.app).get('/api/v1/me').set(bearer(h.tokens[role]));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ name: `${role}-user`, role, permissions: [...ROLE_PERMISSIONS[role]] });
  });

  it('tells the pages what to hide: an analyst may upload but not manage incidents, a responder the other way round', async () => {
    const h = await harness();
    const analyst = (await request(h.app).get('/api/v1/me').set(bearer(h.tokens.analyst))).body;
    const responder = (await request(h.app).get('/api/v1/me').set(bearer(h.tokens.responder))).body;
    expect(analyst.permissions).toEqual(expect.arrayContaining(['contracts:read', 'contracts:upload']));
    expect(analyst.permissions).not.toContain('incidents:manage');
    expect(responder.permissions).toEqual(expect.arrayContaining(['incidents:read', 'incidents:manage']));
    expect(responder.permissions).not.toContain('contracts:upload');
  });
});

describe('GET /api/v1/meta', () => {
  const meta = async () => {
    const h = await harness();
    const res = await request(h.app).get('/api/v1/meta').set(bearer(h.tokens.legal));
    expect(res.status).toBe(200);
    return { h, body: res.body };
  };

  it('explains every code a contract can fail with, NEEDS_OCR as a scanned PDF', async () => {
    const { body } = await meta();
    const errors = new Map((body.documentErrors as { code: string; meaning: string }[]).map((e) => [e.code, e.meaning]));
    expect([...errors.keys()].sort()).toEqual(
      ['DOCX_CORRUPT', 'DOCX_TOO_LARGE_UNPACKED', 'EMPTY_FILE', 'FILE_TOO_LARGE', 'NEEDS_OCR', 'OCR_FAILED', 'OCR_NO_TEXT', 'OCR_TIMEOUT', 'OCR_TOO_MANY_PAGES', 'PDF_CORRUPT', 'PDF_ENCRYPTED', 'PDF_TOO_LARGE_UNPACKED', 'PDF_TOO_MANY_PAGES', 'PROCESSING_FAILED', 'UNSUPPORTED_FORMAT'].sort(),
    );
    expect(errors.get('NEEDS_OCR')).toMatch(/^Scanned PDF: needs OCR/);
    expect(errors.get('PDF_ENCRYPTED')).toMatch(/password/);
    for (const meaning of errors.values()) expect(meaning.length).toBeGreaterThan(10);
  });

  it('lists the data categories with labels, and the clause types with the descriptions of the catalogue', async () => {
    const { body } = await meta();
    expect(body.dataCategories).toEqual([
      { id: 'personal_data', label: 'personal data' },
      { id: 'special_categories', label: 'special categories of personal data' },
      { id: 'health_data', label: 'health data (PHI)' },
      { id: 'cardholder_data', label: 'cardholder data' },
      { id: 'credentials', label: 'credentials' },
      { id: 'customer_content', label: 'customer content' },
      { id: 'none', label: 'no personal or customer data' },
    ]);
    const types = new Map((body.clauseTypes as { id: string; description: string }[]).map((t) => [t.id, t.description]));
    expect([...types.keys()]).toEqual(expect.arrayContaining(['breach_notification', 'liability_cap', 'subprocessor_flowdown', 'data_exit', 'insurance', 'parties']));
    expect(types.get('breach_notification')).toMatch(/^A duty to notify the other party of a security incident/);
    expect(types.get('breach_notification')).not.toContain('\n');
  });

  it('lists the fixed vocabularies of obligations, incidents, findings and contracts', async () => {
    const { body } = await meta();
    expect(body).toMatchObject({
      obligors: ['us', 'counterparty', 'both'],
      origins: ['ours', 'vendor'],
      severities: ['low', 'medium', 'high', 'critical'],
      incidentStatuses: ['suspected', 'confirmed', 'contained', 'closed'],
      ourDataRoles: ['controller', 'processor'],
      outcomes: ['met', 'not_met', 'needs_review', 'missing'],
      contractStatuses: ['queued', 'processing', 'done', 'failed'],
      ourRoles: ['customer', 'provider'],
    });
    expect(body.actions).toEqual(expect.arrayContaining(['notify_incident', 'return_data', 'certify_deletion', 'maintain_insurance', 'keep_data_in_region']));
    expect(body.triggers).toEqual(expect.arrayContaining(['security_incident', 'personal_data_breach', 'termination', 'none']));
  });

  it('offers the jurisdictions and sectors the regulation rules test for, each one a declaration accepts', async () => {
    const { h, body } = await meta();
    expect(body.jurisdictions).toEqual(expect.arrayContaining(['EU', 'UK', 'US', 'US-NY', 'IN', 'AU', 'SG', 'BR']));
    // EEA follows from EU or a member state; a declaration cannot name it
    expect(body.jurisdictions).not.toContain('EEA');
    expect(body.sectors).toEqual(expect.arrayContaining(['public_company', 'ny_dfs_licensed', 'essential_entity', 'financial_entity', 'hipaa_covered_entity']));

    const res = await request(h.app)
      .post('/api/v1/incidents')
      .set(bearer(h.tokens.responder))
      .send({
        title: 'Everything the form offers',
        origin: body.origins[0],
        status: body.incidentStatuses[0],
        severity: body.severities[0],
        dataCategories: body.dataCategories.map((c: { id: string }) => c.id),
        jurisdictions: body.jurisdictions,
        sectors: body.sectors,
        ourDataRole: body.ourDataRoles[0],
        awareAt: '2026-03-02T09:00:00Z',
      });
    expect(res.status).toBe(201);
    expect(res.body.jurisdictions).toEqual(body.jurisdictions);
  });
});
