// fedi prune: a dry run by default that lists the deletion plan and changes nothing; --yes deletes and updates the
// state; a second --yes has nothing to prune. (Secrets only: no machine is reached; the SSH side is tested in core.)
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { FileSecretStore } from "@fediversity/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../src/cli.js";
import type { CliIo } from "../src/terminal/io.js";
import { EXAMPLES, fedi, tempDir } from "./support/fedi.js";
import { schemaErrors, validatePruneOutput } from "./support/schema.js";

let dir: string;
let removeDir: () => Promise<void>;
beforeAll(async () => ({ dir, remove: removeDir } = await tempDir("fedi-prune-cli-")));
afterAll(() => removeDir());

const config = join(EXAMPLES, "all-in-one", "fedi.config.ts");

describe("fedi prune", () => {
  it("dry-runs by default, deletes with --yes, and then has nothing to prune", async () => {
    const state = join(dir, "state");
    await mkdir(state, { recursive: true });
    const store = new FileSecretStore(join(state, "secrets"));
    await store.set("old-db-password", "value-1");
    await store.set("old-s3-secret-key", "value-2");
    const leftovers = [
      { kind: "secret", name: "old-db-password", instance: "old", note: "n" },
      { kind: "secret", name: "old-s3-secret-key", instance: "old", note: "n" },
    ];
    const stateFile = join(state, "state.json");
    await writeFile(
      stateFile,
      JSON.stringify({ schemaVersion: 2, deployment: "demo", instances: {}, machines: {}, leftovers }),
    );
    const args = ["prune", "--config", config, "--state", state];

    const dry = await fedi(args);
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toContain("delete secret 'old-db-password' from the secret store");
    expect(dry.stdout).toContain("Dry run: 2 item(s) would be deleted");
    expect(dry.stdout).not.toContain("value-1");
    expect(JSON.parse(await readFile(stateFile, "utf8")).leftovers).toHaveLength(2);
    expect((await store.list()).sort()).toEqual(["old-db-password", "old-s3-secret-key"]);

    const json = await fedi([...args, "--json"]);
    const out = JSON.parse(json.stdout);
    expect(validatePruneOutput(out), schemaErrors(validatePruneOutput)).toBe(true);
    expect(out).toMatchObject({ outputVersion: 1, dryRun: true, ok: true, plan: { deletions: 2 } });
    expect(out.plan.groups[0].items.map((i: { action: string }) => i.action)).toEqual([
      "delete-secret",
      "delete-secret",
    ]);

    const unknown = await fedi([...args, "nope"]);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain("PRUNE_REFUSED");
    expect(unknown.stderr).toContain("Removed instances with leftovers: old.");

    const noTerminal = await fedi([...args, "--delete"]);
    expect(noTerminal.exitCode).toBe(2);
    expect(noTerminal.stderr).toContain("needs a terminal to ask");
    expect(noTerminal.stderr).toContain("pass --yes");
    expect(JSON.parse(await readFile(stateFile, "utf8")).leftovers).toHaveLength(2);

    const yes = await fedi([...args, "old", "--yes"]);
    expect(yes.exitCode).toBe(0);
    expect(yes.stdout).toContain("2 item(s) pruned.");
    expect(await store.list()).toEqual([]);
    expect(JSON.parse(await readFile(stateFile, "utf8")).leftovers).toEqual([]);

    const again = await fedi([...args, "--yes"]);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain("Nothing to prune");
  }, 60_000);

  it("--delete asks on the terminal: no deletes nothing, yes deletes; --json output matches its schema", async () => {
    const state = join(dir, "state-ask");
    await mkdir(state, { recursive: true });
    const store = new FileSecretStore(join(state, "secrets"));
    await store.set("gone-db-password", "value-3");
    const stateFile = join(state, "state.json");
    const leftovers = [{ kind: "secret", name: "gone-db-password", instance: "gone", note: "n" }];
    await writeFile(
      stateFile,
      JSON.stringify({ schemaVersion: 2, deployment: "demo", instances: {}, machines: {}, leftovers }),
    );
    const run = async (answer: boolean, extra: string[] = []) => {
      const out: string[] = [];
      const err: string[] = [];
      const questions: string[] = [];
      const io: CliIo = {
        stdout: { write: (t) => void out.push(t) },
        stderr: { write: (t) => void err.push(t) },
        env: { NO_COLOR: "1" },
        cwd: dir,
        confirm: async (q) => {
          questions.push(q);
          return answer;
        },
      };
      const code = await runCli(["prune", "--config", config, "--state", state, "--delete", ...extra], io);
      return { code, stdout: out.join(""), stderr: err.join(""), questions };
    };
    const declined = await run(false);
    expect(declined.code).toBe(0);
    expect(declined.questions).toEqual(["Delete these 1 item(s)?"]);
    expect(declined.stderr).toContain("delete secret 'gone-db-password' from the secret store");
    expect(declined.stdout).toContain("Nothing deleted: the deletion was not confirmed.");
    expect(await store.list()).toEqual(["gone-db-password"]);

    const confirmed = await run(true, ["--json"]);
    expect(confirmed.code).toBe(0);
    const out = JSON.parse(confirmed.stdout);
    expect(validatePruneOutput(out), schemaErrors(validatePruneOutput)).toBe(true);
    expect(out).toMatchObject({ dryRun: false, ok: true, results: [{ outcome: "deleted" }] });
    expect(confirmed.stdout).not.toContain("value-3");
    expect(await store.list()).toEqual([]);
    expect(JSON.parse(await readFile(stateFile, "utf8")).leftovers).toEqual([]);
  }, 60_000);

  it("lists what a dropped storage node left under 'storage node <machine>', in text and JSON", async () => {
    const state = join(dir, "state-storage");
    await mkdir(state, { recursive: true });
    const leftovers = ["/var/lib/garage/meta", "/var/lib/garage/data", "/var/lib/private/garage"].map((path) => ({
      kind: "data",
      name: `directory:${path}`,
      machine: "store-c",
      storage: "garage",
      durable: { kind: "directory", path },
      note: "n",
    }));
    await writeFile(
      join(state, "state.json"),
      JSON.stringify({ schemaVersion: 2, deployment: "demo", instances: {}, machines: {}, leftovers }),
    );
    const args = ["prune", "--config", config, "--state", state];

    const dry = await fedi(args);
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toContain("storage node store-c");
    expect(dry.stdout).not.toContain("(instance not recorded)");
    expect(dry.stdout).toContain("delete directory /var/lib/garage/meta on store-c");
    expect(dry.stdout).toContain("Dry run: 3 item(s) would be deleted");

    const out = JSON.parse((await fedi([...args, "--json"])).stdout);
    expect(out.plan.groups).toEqual([
      expect.objectContaining({ storage: "garage", machine: "store-c", label: "storage node store-c" }),
    ]);
    expect(out.plan.groups[0].items.map((i: { action: string; path: string }) => [i.action, i.path])).toEqual([
      ["delete-directory", "/var/lib/garage/meta"],
      ["delete-directory", "/var/lib/garage/data"],
      ["delete-directory", "/var/lib/private/garage"],
    ]);
    expect(validatePruneOutput(out), schemaErrors(validatePruneOutput)).toBe(true);

    const selected = JSON.parse((await fedi([...args, "--storage-node", "store-c", "--json"])).stdout);
    expect(selected.plan.deletions).toBe(3);
    const unknown = await fedi([...args, "--storage-node", "store-x"]);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain("PRUNE_REFUSED");
    expect(unknown.stderr).toContain("Former storage nodes with leftovers: store-c.");
  }, 60_000);
});
