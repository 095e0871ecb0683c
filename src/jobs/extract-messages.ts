/** What the extraction threads and the pool say to each other (structured-cloned, so plain data only). */
import { type Clause } from '../extract';
import { type IngestLimits, type Page } from '../ingest';
import { type OcrResourceEvent } from '../ingest/ocr';

export interface ThreadSettings {
  rulesDir: string;
  limits: IngestLimits;
}

export interface ExtractRequest {
  id: number;
  bytes: Uint8Array;
}

export interface ExtractResult {
  text: string;
  pages: Page[];
  clauses: Clause[];
}

export type ExtractReply =
  | { ready: true; id?: undefined }
  // an OCR child process or working folder the thread holds (or let go): ended and removed by the pool if the thread dies holding it
  | { ocrResource: OcrResourceEvent; id?: undefined }
  | { id: number; ok: true; result: ExtractResult }
  | { id: number; ok: false; failure: ExtractFailure };

/** An AppError (the document is unreadable) keeps its code across the thread boundary; anything else is a fault. */
export type ExtractFailure =
  | { kind: 'app'; code: string; status: number; detail: string }
  | { kind: 'fault'; name: string; message: string; stack?: string };
