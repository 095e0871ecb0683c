/**
 * The one error type of Pactwatch. `code` is stable and machine-readable
 * (SCREAMING_SNAKE), `status` is the HTTP status it maps to, `detail` is a
 * sentence a user can act on. Anything thrown that is not an AppError is a bug
 * and is reported as a generic internal error.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly detail: string;

  constructor(code: string, status: number, detail: string, options?: { cause?: unknown }) {
    super(detail, options);
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.detail = detail;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
