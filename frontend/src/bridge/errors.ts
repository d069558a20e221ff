/**
 * The one error type of the bridge: what a Go method rejected with, the same over both doors.
 * `code` is the machine-readable reason the Go side gives (`stale_revision`, `not_found`, …) and
 * `unreachable` when the server could not be reached at all.
 */
export class BridgeError extends Error {
  /** The Go side's code, `unreachable`, or "" when none was given. */
  readonly code: string;
  /** The Go side's error type, when given. */
  readonly type: string;
  /** The HTTP status (0 for Wails and for an unreachable server). */
  readonly status: number;

  constructor(message: string, code = '', type = '', status = 0) {
    super(message);
    this.name = 'BridgeError';
    this.code = code;
    this.type = type;
    this.status = status;
  }
}

/** The code of whatever a bridge call rejected with ("" for anything else). */
export function errorCode(e: unknown): string {
  return e instanceof BridgeError ? e.code : '';
}

/** A stale save: the document changed elsewhere (another tab or window) since this page read it. */
export const STALE_REVISION = 'stale_revision';
/** A patch of a revision the server holds no copy of: send the whole document instead. */
export const UNKNOWN_BASE = 'unknown_base';
/** A patch that does not fit the document the server holds. */
export const BAD_PATCH = 'bad_patch';
/** A suggestion request that left out story text its prompt would use: send the whole document. */
export const SHORT_WINDOW = 'short_window';
/** The server did not answer (down, restarting, network gone). */
export const UNREACHABLE = 'unreachable';

/**
 * A Wails rejection (a Go error arrives as its text) as a BridgeError. When the Go side encodes
 * its error as the same JSON body the HTTP door sends, the code comes along.
 */
export function fromRejection(e: unknown): BridgeError {
  if (e instanceof BridgeError) return e;
  const text = e instanceof Error ? e.message : String(e);
  const parsed = parseErrorBody(text);
  return parsed ?? new BridgeError(text);
}

/** `{"error":{"message","type","code"}}` (or its inner object) as a BridgeError; null otherwise. */
export function parseErrorBody(text: string, status = 0): BridgeError | null {
  if (!text.startsWith('{')) return null;
  try {
    const body = JSON.parse(text) as unknown;
    const inner = isRecord(body) && isRecord(body.error) ? body.error : body;
    if (!isRecord(inner) || typeof inner.message !== 'string') return null;
    return new BridgeError(inner.message, str(inner.code), str(inner.type), status);
  } catch {
    return null;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
