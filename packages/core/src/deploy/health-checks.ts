import type { MachinePool, SshTarget } from "../machine/index.js";
import { shellQuote } from "../machine/index.js";
import type { HealthCheck } from "../plugin/types.js";

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
  /** What was seen (state, HTTP status, exit code). */
  detail: string;
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
 * Runs one health check on the machine over SSH: a unit must be `active`; an HTTP probe is made from the machine
 * itself (with `viaMachine`, the URL's host resolves to the machine's loopback, so TLS and the virtual host are
 * checked before DNS points at it); a command must exit 0.
 */
export async function runHealthCheck(
  pool: MachinePool,
  target: SshTarget,
  owner: string,
  check: HealthCheck,
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
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
    return { ...base, ok: r.code === 0 && state === "active", detail: state };
  }
  if (check.kind === "http") {
    const url = new URL(check.url);
    const port = url.port || (url.protocol === "https:" ? "443" : "80");
    const resolve = check.viaMachine ? `--resolve ${shellQuote(`${url.hostname}:${port}:127.0.0.1`)} ` : "";
    const r = await pool.exec(
      target,
      `curl -sS -o /dev/null -w '%{http_code}' --max-time 20 ${resolve}${shellQuote(check.url)}`,
      execOptions,
    );
    const status = Number.parseInt(r.stdout.trim(), 10);
    const expected = check.expectStatus ?? [200];
    const ok = r.code === 0 && expected.includes(status);
    return {
      ...base,
      ok,
      detail:
        Number.isFinite(status) && status > 0
          ? `HTTP ${status}`
          : r.stderr.trim().split("\n").at(-1) || `curl exit ${r.code}`,
    };
  }
  const r = await pool.exec(target, check.command, execOptions);
  return {
    ...base,
    ok: r.code === 0,
    detail: r.code === 0 ? "ok" : `exit ${r.code}: ${r.stderr.trim().split("\n").at(-1) ?? ""}`,
  };
}
