/**
 * A small pool of extraction threads. pdf-parse holds the event loop for the
 * whole parse (seconds for a long PDF); run on the main thread it would stall
 * the API in embedded mode and stop a BullMQ worker from renewing its job
 * locks, so documents are parsed and extracted in extract-thread.ts instead.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { type Logger } from 'pino';
import { type Config } from '../config';
import { AppError } from '../errors';
import { reclaimOcrResources, type OcrResource } from '../ingest/ocr';
import { type ExtractReply, type ExtractRequest, type ExtractResult, type ThreadSettings } from './extract-messages';

export { type ExtractResult } from './extract-messages';

/** Turns a document's bytes into its text, pages and clauses. */
export interface DocumentExtractor {
  extract(bytes: Buffer): Promise<ExtractResult>;
  close(): Promise<void>;
}

interface Task {
  id: number;
  bytes: Buffer;
  resolve: (r: ExtractResult) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
  /** OCR children and working folders the thread holds, by pid or path. */
  ocr: Map<string, OcrResource>;
}

// Threads start without the parent's TypeScript loader: when this file runs as
// TypeScript, each thread registers the loader before it loads its entry.
// V8 flags (bin/ sets --no-regexp-tier-up) are process-wide and reach the
// threads already; setting one again from a thread while another thread runs
// crashed the process, so the bootstrap leaves them alone.
const ENTRY = path.join(__dirname, `extract-thread${path.extname(__filename)}`);
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
if (workerData.loader) require(workerData.loader);
require(workerData.entry);
`;

export function createExtractPool(config: Config, options: { size?: number; logger?: Logger } = {}): DocumentExtractor {
  const size = Math.max(1, options.size ?? Math.min(2, config.workerConcurrency));
  const settings: ThreadSettings = {
    rulesDir: config.rulesDir,
    limits: { maxFileBytes: config.maxFileBytes, maxUnpackedBytes: config.maxUnpackedBytes, maxPages: config.maxPages, ocr: config.ocr },
  };
  const loader = ENTRY.endsWith('.ts') ? require.resolve('tsx/cjs') : null;
  const slots: Slot[] = [];
  const pending: Task[] = [];
  let nextId = 1;
  let closed = false;

  const spawn = (): Slot => {
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { ...settings, loader, entry: ENTRY } });
    // An idle pool must not keep a finished process alive; close() ends the threads.
    worker.unref();
    const slot: Slot = { worker, task: null, ocr: new Map() };
    worker.on('message', (reply: ExtractReply) => {
      if (reply.id === undefined) {
        if ('ocrResource' in reply) {
          const { held, ...resource } = reply.ocrResource;
          const key = resource.kind === 'process' ? `pid:${resource.pid}` : `dir:${resource.path}`;
          if (held) slot.ocr.set(key, resource);
          else slot.ocr.delete(key);
        }
        return;
      }
      const task = slot.task;
      if (!task || task.id !== reply.id) return;
      slot.task = null;
      if (reply.ok) task.resolve(reply.result);
      else if (reply.failure.kind === 'app') task.reject(new AppError(reply.failure.code, reply.failure.status, reply.failure.detail));
      else {
        const err = new Error(reply.failure.message);
        err.name = reply.failure.name;
        if (reply.failure.stack) err.stack = reply.failure.stack;
        task.reject(err);
      }
      dispatch();
    });
    const lost = (err: Error) => {
      const at = slots.indexOf(slot);
      if (at < 0) return;
      slots.splice(at, 1);
      options.logger?.error({ err }, 'extraction thread stopped');
      // A dead thread is a fault of this attempt, not of the document: the job retries.
      slot.task?.reject(new Error(`extraction thread stopped: ${err.message}`, { cause: err }));
      slot.task = null;
      dispatch();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => {
      // however the thread ended (terminated on close or abort, crashed), its OCR children must not outlive it
      reclaimOcrResources(slot.ocr.values());
      slot.ocr.clear();
      lost(new Error(`exit code ${code}`));
    });
    slots.push(slot);
    return slot;
  };

  const dispatch = () => {
    while (!closed && pending.length > 0) {
      const slot = slots.find((s) => s.task === null) ?? (slots.length < size ? spawn() : null);
      if (!slot) return;
      const task = pending.shift()!;
      slot.task = task;
      // A copy the thread can own: the caller's buffer may be shared (a store's
      // cached bytes, a pooled slab), and transferring it would empty it here.
      const copy = new Uint8Array(task.bytes);
      slot.worker.postMessage({ id: task.id, bytes: copy } satisfies ExtractRequest, [copy.buffer]);
    }
  };

  return {
    extract(bytes) {
      if (closed) return Promise.reject(new Error('the extraction pool is closed'));
      return new Promise<ExtractResult>((resolve, reject) => {
        pending.push({ id: nextId++, bytes, resolve, reject });
        dispatch();
      });
    },
    async close() {
      closed = true;
      for (const task of pending.splice(0)) task.reject(new Error('the extraction pool is closed'));
      const all = slots.splice(0);
      for (const s of all) s.task?.reject(new Error('the extraction pool is closed'));
      await Promise.all(all.map((s) => s.worker.terminate()));
    },
  };
}
