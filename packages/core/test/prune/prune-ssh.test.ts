import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MachinePool } from "../../src/machine/index.js";
import { forgetPruned, type PruneRunner, planPrune, prune } from "../../src/prune/index.js";
import { MemorySecretStore } from "../../src/secrets/index.js";
import { type DeploymentState, emptyState } from "../../src/state/index.js";
import { type SshdFixture, startSshd } from "../fixtures/sshd.js";

/**
 * A double of `runuser -u postgres -- psql ...` (no PostgreSQL server here): `runuser` records its argv (one JSON
 * line per call) and answers the two statements prune sends, against a file listing the databases that exist.
 */
const RUNUSER_DOUBLE = `#!/usr/bin/env node
const fs = require("node:fs");
const dir = process.env.FEDI_PSQL_DOUBLE;
const args = process.argv.slice(2);
fs.appendFileSync(dir + "/calls.jsonl", JSON.stringify(args) + "\\n");
const sql = args[args.indexOf("-c") + 1];
const dbs = fs.readFileSync(dir + "/databases", "utf8").split("\\n").filter(Boolean).map((l) => JSON.parse(l));
let m = /^SELECT 1 FROM pg_database WHERE datname = '((?:[^']|'')*)'$/s.exec(sql);
if (m) { if (dbs.includes(m[1].replace(/''/g, "'"))) process.stdout.write("1\\n"); process.exit(0); }
m = /^DROP DATABASE IF EXISTS "((?:[^"]|"")*)"$/s.exec(sql);
if (m) { const name = m[1].replace(/""/g, '"'); fs.writeFileSync(dir + "/databases", dbs.filter((d) => d !== name).map((d) => JSON.stringify(d) + "\\n").join("")); process.exit(0); }
process.stderr.write("unexpected SQL\\n"); process.exit(2);
`;

const HOSTILE = `x"; $(touch /tmp/fedi-prune-pwned) -- 'q' \`id\``;

let sshd: SshdFixture;
let root: string;
let pool: MachinePool;
let run: PruneRunner;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "fedi-prune-"));
  const bin = join(root, "bin");
  await mkdir(bin);
  await writeFile(join(bin, "runuser"), RUNUSER_DOUBLE);
  await writeFile(join(bin, "psql"), "#!/bin/sh\nexit 99\n");
  await chmod(join(bin, "runuser"), 0o755);
  await chmod(join(bin, "psql"), 0o755);
  sshd = await startSshd();
  pool = new MachinePool();
  const target = sshd.target("web01");
  // The doubles come first on PATH (sshd resets the session's PATH, so the runner sets it, like a machine's profile).
  run = (_machine, command, options) =>
    pool.exec(target, `export PATH=${bin}:$PATH FEDI_PSQL_DOUBLE=${root}\n${command}`, options);
}, 30_000);

afterAll(async () => {
  await pool?.closeAll();
  await sshd?.dispose();
  await rm(root, { recursive: true, force: true });
});

function stateWith(dir: string): DeploymentState {
  const durable = (name: string) => ({ kind: "database" as const, engine: "postgresql" as const, name });
  return {
    ...emptyState("demo"),
    leftovers: [
      {
        kind: "data",
        name: `directory:${dir}`,
        machine: "web01",
        instance: "old",
        durable: { kind: "directory", path: dir },
        note: "n",
      },
      {
        kind: "data",
        name: "postgresql:mastodon",
        machine: "web01",
        instance: "old",
        durable: durable("mastodon"),
        note: "n",
      },
      {
        kind: "data",
        name: `postgresql:${HOSTILE}`,
        machine: "web01",
        instance: "old",
        durable: durable(HOSTILE),
        note: "n",
      },
      { kind: "secret", name: "old-db-password", instance: "old", note: "n" },
    ],
  };
}

describe("prune over SSH", () => {
  it("deletes the directory, drops the databases, deletes the secret; a second run finds everything gone", async () => {
    const dir = join(root, "var-lib-old");
    await mkdir(join(dir, "sub"), { recursive: true });
    await writeFile(join(dir, "sub", "file"), "data");
    await writeFile(
      join(root, "databases"),
      ["mastodon", HOSTILE, "other"].map((d) => `${JSON.stringify(d)}\n`).join(""),
    );
    await writeFile(join(root, "calls.jsonl"), "");
    const secrets = new MemorySecretStore({ "old-db-password": "s3cret", keep: "k" });
    const state = stateWith(dir);
    const plan = planPrune(state);
    const report = await prune(plan, { run, secrets });
    expect(report.results.filter((r) => r.error).map((r) => r.error)).toEqual([]);
    expect(report.results.map((r) => r.outcome)).toEqual(["deleted", "deleted", "deleted", "deleted"]);
    await expect(stat(dir)).rejects.toThrow(/ENOENT/);
    expect(await readFile(join(root, "databases"), "utf8")).toBe('"other"\n');
    expect(await secrets.list()).toEqual(["keep"]);
    // The hostile name reached psql as one argument, quoted as an identifier; nothing in it ran as a command.
    const calls = (await readFile(join(root, "calls.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as string[]);
    expect(calls.map((c) => c.slice(0, 4))).toContainEqual(["-u", "postgres", "--", "psql"]);
    expect(calls.map((c) => c.at(-1))).toContain(
      `DROP DATABASE IF EXISTS "x""; $(touch /tmp/fedi-prune-pwned) -- 'q' \`id\`"`,
    );
    await expect(stat("/tmp/fedi-prune-pwned")).rejects.toThrow(/ENOENT/);
    const after = forgetPruned(state, report);
    expect(after.leftovers).toEqual([]);

    const again = await prune(plan, { run, secrets });
    expect(again.results.map((r) => r.outcome)).toEqual([
      "already-gone",
      "already-gone",
      "already-gone",
      "already-gone",
    ]);
    expect(planPrune(after).deletions).toBe(0);
  }, 30_000);

  it("reports a failed item without stopping the others, and keeps it recorded", async () => {
    await writeFile(join(root, "databases"), "");
    const state = stateWith(join(root, "absent-dir"));
    const secrets = new MemorySecretStore({});
    const failing: PruneRunner = (machine, command, options) =>
      command.includes("psql") ? run(machine, "echo boom >&2; exit 7", options) : run(machine, command, options);
    const report = await prune(planPrune(state), { run: failing, secrets });
    expect(report.results.map((r) => r.outcome)).toEqual(["failed", "failed", "already-gone", "already-gone"]);
    expect(report.results[0]!.error).toContain("boom");
    expect(forgetPruned(state, report).leftovers.map((l) => l.name)).toEqual([
      "postgresql:mastodon",
      `postgresql:${HOSTILE}`,
    ]);
  }, 30_000);
});
