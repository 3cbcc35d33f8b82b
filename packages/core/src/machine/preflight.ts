import { FediError, isFediError } from "../errors.js";
import { recordFromEntries } from "../util/own.js";
import { readStateVersion } from "./adopt/adopt.js";
import { checkFacts, type FactExpectations, gatherFacts, type PreflightFacts, type PreflightProblem } from "./facts.js";
import { checkLocalTools, type LocalToolsOptions } from "./local-tools.js";
import type { MachinePool } from "./pool.js";
import type { SshTarget } from "./target.js";

/** One machine to check: how to reach it and what the plan needs from it. */
export interface PreflightMachine {
  /** How to reach it. */
  target: SshTarget;
  /** What it must provide. */
  expect: FactExpectations;
}

/** Options of {@link preflight}. */
export interface PreflightOptions {
  /** Time allowed for the facts command per machine. Default 30000 ms. */
  timeoutMs?: number;
  /** Cancels the whole preflight. */
  signal?: AbortSignal;
  /**
   * Also check the computer running the deployment ({@link checkLocalTools}: ssh, nix, flakes); its problems come
   * first, with machine `(local)`. Default false.
   */
  localTools?: boolean | LocalToolsOptions;
  /** Called as each machine is done: its facts (when reachable) and its problems. */
  onMachine?: (machine: string, facts: PreflightFacts | undefined, problems: readonly PreflightProblem[]) => void;
}

/** The outcome of {@link preflight}: facts of every reachable machine and every problem of every machine. */
export interface PreflightReport {
  /** True when no machine has a problem. */
  ok: boolean;
  /** Facts by machine name (reachable machines only); read it with `Object.hasOwn` (a machine may be `constructor`). */
  facts: Record<string, PreflightFacts>;
  /** All problems, in the order of the machines given. */
  problems: PreflightProblem[];
}

/**
 * Gathers facts from every machine in parallel and checks them. Each facts command is a probe of the pool (bounded
 * by its `probeConcurrency`, not its main `concurrency`: connecting is latency-bound and cheap) and uses the pool's
 * retry policy. It never stops at the first bad machine: unreachable machines, host-key mismatches and unmet
 * requirements all end up in {@link PreflightReport.problems} (check `ssh` for connection failures). A machine whose
 * expectations name a `stateVersion` also has its current one read (the evaluation of {@link readStateVersion}). It
 * does not throw for problems — pass the report to {@link assertPreflight} for that — only for cancellation.
 */
export async function preflight(
  pool: MachinePool,
  machines: readonly PreflightMachine[],
  options: PreflightOptions = {},
): Promise<PreflightReport> {
  const local =
    options.localTools === undefined || options.localTools === false
      ? Promise.resolve([])
      : checkLocalTools(options.localTools === true ? {} : options.localTools);
  const results = await Promise.all(
    machines.map(async ({ target, expect }) => {
      let facts: PreflightFacts | undefined;
      let problems: PreflightProblem[];
      try {
        facts = await pool.withMachine(
          target,
          async (conn) => {
            const limits = {
              ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
              ...(options.signal ? { signal: options.signal } : {}),
            };
            const gathered = await gatherFacts(conn, limits);
            if (expect.stateVersion !== undefined) {
              gathered.stateVersion = await readStateVersion(
                conn,
                options.signal ? { signal: options.signal } : {},
              ).then(
                (sv) => sv.value,
                (error: unknown) => {
                  if (isFediError(error) && error.code === "CANCELLED") throw error;
                  return null; // reported by the stateVersion check as unreadable
                },
              );
            }
            return gathered;
          },
          {
            operation: "gather preflight facts",
            idempotent: true,
            probe: true,
            ...(options.signal ? { signal: options.signal } : {}),
          },
        );
        problems = checkFacts(facts, expect);
      } catch (error) {
        if (isFediError(error) && error.code === "CANCELLED") throw error;
        problems = [sshProblem(target, error)];
      }
      try {
        options.onMachine?.(target.machine, facts, problems);
      } catch {
        // A progress callback must not break preflight.
      }
      return { target, facts, problems };
    }),
  );
  const facts = recordFromEntries(results.flatMap((r) => (r.facts ? [[r.target.machine, r.facts] as const] : [])));
  const problems: PreflightProblem[] = [...(await local)];
  for (const result of results) {
    problems.push(...result.problems);
  }
  return { ok: problems.length === 0, facts, problems };
}

function sshProblem(target: SshTarget, error: unknown): PreflightProblem {
  const fedi = isFediError(error) ? error : undefined;
  return {
    machine: target.machine,
    check: "ssh",
    expected: "reachable over SSH with the pinned host key",
    actual: (error as Error).message,
    hint: fedi?.hint ?? "Check that the machine is up and reachable over SSH.",
    ...(fedi ? { code: fedi.code } : {}),
  };
}

/**
 * Throws `PREFLIGHT_FAILED` with one issue per problem (path = machine name, code = check) when the report has
 * problems; returns the facts otherwise.
 */
export function assertPreflight(report: PreflightReport): Record<string, PreflightFacts> {
  if (report.ok) return report.facts;
  const machines = [...new Set(report.problems.map((p) => p.machine))];
  throw new FediError(
    "PREFLIGHT_FAILED",
    `${report.problems.length} problem${report.problems.length === 1 ? "" : "s"} on ${machines.length} machine${machines.length === 1 ? "" : "s"} (${machines.join(", ")}).`,
    {
      issues: report.problems.map((p) => ({
        path: p.machine,
        code: p.check,
        message: `${p.check}: expected ${p.expected}, found ${p.actual}. ${p.hint}`,
      })),
      hint: "Fix each problem listed (or adjust the spec), then run again.",
      details: { machines },
    },
  );
}
