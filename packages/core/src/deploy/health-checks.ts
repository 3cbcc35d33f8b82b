import type { MachinePool, SshTarget } from "../machine/index.js";
import { shellQuote } from "../machine/index.js";
import type { HealthCheck } from "../plugin/types.js";

/**
 * What a check found, beyond pass or fail:
 * - `ok`: passed;
 * - `failed`: a unit is not active or a command failed;
 * - `down`: nothing answers (connection refused, timeout, TLS handshake failure) or the web server answers 502/503/504
 *   for the service behind it;
 * - `unexpected-status`: the service answers with another HTTP status than expected;
 * - `certificate-untrusted`: the service answers, over a certificate no trusted CA signed (e.g. Let's Encrypt's
 *   staging CA) or made for another name;
 * - `certificate-placeholder`: the service answers, over the self-signed placeholder nixpkgs' ACME module serves
 *   ("minica root ca ...") until Let's Encrypt issues the real certificate.
 */
export type CheckOutcome =
  | "ok"
  | "failed"
  | "down"
  | "unexpected-status"
  | "certificate-untrusted"
  | "certificate-placeholder";

/** The result of one health check. */
export interface CheckResult {
  /** Machine it ran on. */
  machine: string;
  /** Instance it belongs to, or `storage`. */
  owner: string;
  /** Short description, e.g. `unit mastodon-web.service` or `GET https://x/health`. */
  check: string;
  /** Passed. */
  ok: boolean;
  /** What was seen (state, HTTP status, exit code, certificate). */
  detail: string;
  /** What kind of result it is (set by {@link runHealthCheck}). */
  outcome?: CheckOutcome;
}

/** Options of {@link runHealthCheck}. */
export interface HealthCheckOptions {
  /** Cancellation. */
  signal?: AbortSignal;
  /** Time limit of each command on the machine. Default 30 s. */
  timeoutMs?: number;
  /**
   * The deployment gets its certificates from Let's Encrypt's staging CA (`acme.staging`): an HTTP check that gets
   * the expected answer over a certificate no trusted CA signed passes (outcome `certificate-untrusted`). Without
   * it, such a check fails. A placeholder certificate never passes.
   */
  acmeStaging?: boolean;
  /** The address an HTTP check with `viaMachine` connects to, from the machine. Default `127.0.0.1`. */
  address?: string;
}

/** A short description of a check for reports. */
export function describeCheck(check: HealthCheck): string {
  switch (check.kind) {
    case "systemd-unit":
      return `unit ${check.unit}`;
    case "http":
      return `GET ${check.url}`;
    case "command":
      return check.description;
  }
}

/**
 * Runs one health check on the machine over SSH: a unit must be `active`; a command must exit 0; an HTTP probe is
 * made with curl from the machine itself. With `viaMachine`, the URL's host resolves to the machine's own address
 * (`--resolve host:port:127.0.0.1`, so the Host header and TLS SNI are the real name) before DNS points at it. When
 * curl cannot verify the certificate, a second probe without verification tells a service that answers over an
 * untrusted certificate (staging CA), or over nixpkgs' self-signed placeholder (ACME not done yet), from one that is
 * down: see {@link CheckOutcome}. On a target with `sudo`, unit and command checks run as root (they may read
 * root-only state); the HTTP probe runs as the login user.
 */
export async function runHealthCheck(
  pool: MachinePool,
  target: SshTarget,
  owner: string,
  check: HealthCheck,
  options: HealthCheckOptions = {},
): Promise<CheckResult> {
  const base = { machine: target.machine, owner, check: describeCheck(check) };
  const execOptions = {
    idempotent: true,
    timeoutMs: options.timeoutMs ?? 30_000,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  if (check.kind === "systemd-unit") {
    const r = await pool.exec(target, `systemctl is-active ${shellQuote(check.unit)}`, execOptions);
    const state = r.stdout.trim() || r.stderr.trim() || `exit ${r.code}`;
    const ok = r.code === 0 && state === "active";
    return { ...base, ok, detail: state, outcome: ok ? "ok" : "failed" };
  }
  if (check.kind === "http") {
    return { ...base, ...(await httpCheck(pool, target, check, options, execOptions)) };
  }
  const r = await pool.exec(target, check.command, execOptions);
  return {
    ...base,
    ok: r.code === 0,
    detail: r.code === 0 ? "ok" : `exit ${r.code}: ${r.stderr.trim().split("\n").at(-1) ?? ""}`,
    outcome: r.code === 0 ? "ok" : "failed",
  };
}

/** curl's exit codes for a certificate it cannot verify (60; 51 in curl before 7.62). */
const CURL_PEER_VERIFICATION = new Set([51, 60]);
/** OpenSSL's verify result for a self-signed leaf certificate (`X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT`). */
const X509_SELF_SIGNED_LEAF = 18;
/** The issuer nixpkgs' ACME module gives placeholder certificates: minica's root, `minica root ca <hex>`. */
const MINICA_ISSUER = /\bminica root ca\b/i;

type HttpVerdict = Pick<CheckResult, "ok" | "detail" | "outcome">;

async function httpCheck(
  pool: MachinePool,
  target: SshTarget,
  check: Extract<HealthCheck, { kind: "http" }>,
  options: HealthCheckOptions,
  execOptions: { idempotent: boolean; timeoutMs: number; signal?: AbortSignal },
): Promise<HttpVerdict> {
  const url = new URL(check.url);
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const address = options.address ?? "127.0.0.1";
  const resolve = check.viaMachine ? `--resolve ${shellQuote(`${host}:${port}:${address}`)} ` : "";
  const curl = (extra: string, format: string) =>
    pool.exec(
      target,
      `curl -sS ${extra}-o /dev/null -w ${shellQuote(format)} --max-time 20 ${resolve}${shellQuote(check.url)}`,
      // curl needs no privilege: on a sudo target it runs as the login user
      { ...execOptions, asLoginUser: true },
    );
  const expected = check.expectStatus ?? [200];
  const r = await curl("", "%{http_code}");
  if (r.code === 0) return statusVerdict(Number.parseInt(r.stdout.trim(), 10), expected);
  const error = r.stderr.trim().split("\n")[0] || `curl exit ${r.code}`;
  if (r.code === null || !CURL_PEER_VERIFICATION.has(r.code))
    return { ok: false, detail: `down: ${error}`, outcome: "down" };

  // The certificate did not verify: look again without verifying, to see what answers and over which certificate.
  const insecure = await curl("-k -v ", "%{http_code} %{ssl_verify_result}");
  const [statusText, verifyText] = insecure.stdout.trim().split(/\s+/);
  const status = Number.parseInt(statusText ?? "", 10);
  if (insecure.code !== 0 || !(status > 0)) return { ok: false, detail: `down: ${error}`, outcome: "down" };
  const answer = statusVerdict(status, expected);
  const issuer = /^\*\s+issuer:\s*(.+)$/m.exec(insecure.stderr)?.[1]?.trim();
  const subject = /^\*\s+subject:\s*(.+)$/m.exec(insecure.stderr)?.[1]?.trim();
  const verify = Number.parseInt(verifyText ?? "", 10);
  const served = `${answer.detail} behind it`;
  if ((issuer && MINICA_ISSUER.test(issuer)) || verify === X509_SELF_SIGNED_LEAF || (issuer && issuer === subject)) {
    return {
      ok: false,
      outcome: "certificate-placeholder",
      detail: `placeholder certificate${issuer ? ` (issuer ${issuer})` : ""}: ACME has not issued the certificate for ${host} yet; check that its DNS record points at the machine (fedi dns check) and the acme-order-renew-${host}.service unit (${served})`,
    };
  }
  if (verify === 0) {
    return {
      ok: false,
      outcome: "certificate-untrusted",
      detail: `certificate not valid for ${host}: ${error} (${served})`,
    };
  }
  const staging = options.acmeStaging === true || (issuer !== undefined && /\(STAGING\)/.test(issuer));
  const label = `certificate not trusted${staging ? " (staging)" : ""}${issuer ? `, issuer ${issuer}` : ""}`;
  if (!answer.ok) return { ok: false, outcome: answer.outcome, detail: `${answer.detail}; ${label}` };
  return options.acmeStaging === true
    ? { ok: true, outcome: "certificate-untrusted", detail: `${answer.detail}; ${label}` }
    : {
        ok: false,
        outcome: "certificate-untrusted",
        detail: `${label} (${served}); with acme.staging the deployment uses the staging CA on purpose, else check the certificate nginx serves`,
      };
}

function statusVerdict(status: number, expected: readonly number[]): HttpVerdict {
  if (!Number.isFinite(status) || status <= 0) return { ok: false, detail: "down: no HTTP answer", outcome: "down" };
  if (expected.includes(status)) return { ok: true, detail: `HTTP ${status}`, outcome: "ok" };
  if (status === 502 || status === 503 || status === 504) {
    return {
      ok: false,
      detail: `down: HTTP ${status} (the web server answers, the service behind it does not)`,
      outcome: "down",
    };
  }
  return { ok: false, detail: `HTTP ${status}, expected ${expected.join(" or ")}`, outcome: "unexpected-status" };
}
