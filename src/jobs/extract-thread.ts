/**
 * Entry point of an extraction thread (see extract-pool.ts). Parsing a PDF
 * holds the thread for the whole parse, so it happens here and not on the
 * thread that answers HTTP requests and renews job locks. The ruleset is
 * loaded once per thread (about a second) and reused for every document.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isAppError } from '../errors';
import { extractClauses } from '../extract';
import { ingest } from '../ingest';
import { observeOcrResources } from '../ingest/ocr';
import { loadRuleset } from '../rules/load-rules';
import { type ExtractReply, type ExtractRequest, type ThreadSettings } from './extract-messages';

const settings = workerData as ThreadSettings;
const port = parentPort;
if (!port) throw new Error('extract-thread.ts runs only as a worker thread');

const ruleset = loadRuleset(settings.rulesDir);
// A terminated thread runs no `finally`: the pool ends the OCR children and removes the folders it was told of.
observeOcrResources((ocrResource) => port.postMessage({ ocrResource } satisfies ExtractReply));
port.postMessage({ ready: true } satisfies ExtractReply);

port.on('message', (req: ExtractRequest) => {
  void handle(req).then((reply) => port.postMessage(reply));
});

async function handle(req: ExtractRequest): Promise<ExtractReply> {
  try {
    const bytes = Buffer.from(req.bytes.buffer, req.bytes.byteOffset, req.bytes.byteLength);
    const doc = await ingest(bytes, settings.limits);
    const clauses = extractClauses(doc, ruleset);
    return { id: req.id, ok: true, result: { text: doc.text, pages: doc.pages, clauses } };
  } catch (err) {
    if (isAppError(err)) return { id: req.id, ok: false, failure: { kind: 'app', code: err.code, status: err.status, detail: err.detail } };
    const e = err instanceof Error ? err : new Error(String(err));
    return { id: req.id, ok: false, failure: { kind: 'fault', name: e.name, message: e.message, stack: e.stack } };
  }
}
