import { FediError } from "@fediversity/core";

/** One HTTP request to the Garage admin API, as the client hands it to a {@link GarageAdminTransport}. */
export interface GarageAdminRequest {
  /** HTTP method. */
  method: "GET" | "POST";
  /** Path below the admin endpoint, e.g. `/v2/GetClusterStatus`. */
  path: string;
  /** Query-string parameters (Garage reads ids such as `id` and `node` from here). */
  query?: Record<string, string>;
  /** JSON request body, if the operation takes one. */
  body?: unknown;
  /** Request headers, including `Authorization: Bearer <token>`. A transport must never log them. */
  headers: Record<string, string>;
}

/** The HTTP answer of the admin API: status and parsed JSON body (`null` when empty, a string when not JSON). */
export interface GarageAdminResponse {
  /** HTTP status code. */
  status: number;
  /** Parsed body. */
  body: unknown;
}

/** Sends one admin API request. Injectable so tests and the deployer can route requests (e.g. through a tunnel). */
export type GarageAdminTransport = (request: GarageAdminRequest) => Promise<GarageAdminResponse>;

/** Options of {@link httpTransport}. */
export interface HttpTransportOptions {
  /** Abort a request after this many milliseconds. Default 30000. */
  timeoutMs?: number;
  /** The fetch implementation. Default: the global `fetch`. */
  fetch?: typeof fetch;
}

function parseBody(text: string): unknown {
  if (text.trim() === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * A transport over HTTP with the global `fetch`. `baseUrl` is the admin endpoint, e.g. `http://127.0.0.1:13903`
 * for a local SSH tunnel to `127.0.0.1:3903` on a storage node. Network failures become
 * `FediError("STORAGE_FAILED")`; HTTP error statuses are returned to the client, which reports them.
 */
export function httpTransport(baseUrl: string, options: HttpTransportOptions = {}): GarageAdminTransport {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    base = new URL("invalid:");
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") {
    throw new FediError("STORAGE_FAILED", `The Garage admin endpoint "${baseUrl}" is not an http(s) URL.`, {
      hint: "Pass the admin API address, e.g. http://127.0.0.1:3903 or the local end of an SSH tunnel to it.",
    });
  }
  const origin = base.origin + base.pathname.replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  return async (request) => {
    const url = new URL(origin + request.path);
    for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, value);
    const headers: Record<string, string> = { accept: "application/json", ...request.headers };
    let bodyText: string | undefined;
    if (request.body !== undefined) {
      headers["content-type"] = "application/json";
      bodyText = JSON.stringify(request.body);
    }
    try {
      const response = await doFetch(url, {
        method: request.method,
        headers,
        ...(bodyText === undefined ? {} : { body: bodyText }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { status: response.status, body: parseBody(await response.text()) };
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      const detail = cause instanceof Error && cause.cause instanceof Error ? ` (${cause.cause.message})` : "";
      throw new FediError(
        "STORAGE_FAILED",
        `Could not reach the Garage admin API at ${origin}${request.path}: ${reason}${detail}`,
        {
          hint: "Check that Garage runs on the storage node and that the SSH tunnel to its admin port (127.0.0.1:3903) is open.",
          details: { method: request.method, path: request.path },
        },
      );
    }
  };
}
