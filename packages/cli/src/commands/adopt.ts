import { resolve } from "node:path";
import {
  type AdoptedMachineFacts,
  type AdoptionReport,
  adoptedMachineFacts,
  adoptMachine,
  FediError,
  type HardwareConfigWrite,
  hardwareConfigImport,
  isFediError,
  MachinePool,
  type SshTarget,
  validateSpec,
  writeHardwareConfig,
} from "@fediversity/core";
import { EXIT } from "../terminal/global-options.js";
import { CONFIG_OPTION, loadFromFlags, stringFlag } from "./shared.js";
import type { Command, CommandContext } from "./types.js";

/** The outcome of adopting one machine. */
interface Adopted {
  machine: string;
  report?: AdoptionReport;
  file?: HardwareConfigWrite;
  config?: AdoptedMachineFacts;
  error?: { code: string; message: string; hint?: string };
}

/** `fedi adopt MACHINE...`: reads what a machine's new configuration must keep and writes its hardware file. */
export const adoptCommand: Command = {
  name: "adopt",
  summary: "read an existing NixOS machine's hardware, stateVersion, boot loader and keys into the config",
  usage: "fedi adopt MACHINE... [--config FILE] [--dir DIR] [--force] [--json]",
  description: [
    "The first apply replaces a machine's whole NixOS configuration, so the config must keep what the machine",
    "needs to boot and to let the SDK back in. For each MACHINE of the config, fedi adopt connects over SSH (pinned",
    "host key) and reads, changing nothing on the machine: `nixos-generate-config --show-hardware-config` (as root,",
    "through `sudo -n` for another user), the current system.stateVersion and boot loader (by evaluating the",
    "machine's configuration), EFI or BIOS, and the login user's authorized keys. It writes",
    "DIR/machines/MACHINE/hardware-configuration.nix (DIR: the config's folder) and prints the lines to add to the",
    "machine's entry. It never replaces a hardware file it did not write unless --force; a second run with the same",
    "machine changes nothing. Exits 1 when a machine cannot be read or a file was left because it is not fedi's.",
  ].join("\n"),
  options: {
    config: CONFIG_OPTION,
    dir: {
      type: "string",
      valueName: "DIR",
      description: "write machines/<name>/hardware-configuration.nix below DIR (default: the config's folder)",
    },
    force: { type: "boolean", description: "replace a hardware-configuration.nix that fedi did not write" },
    json: { type: "boolean", description: "print what was read and written as JSON on stdout" },
  },
  positionals: [{ name: "MACHINE", description: "machine names of the config", required: true, variadic: true }],
  examples: [
    { command: "fedi adopt web1", description: "read web1 and write machines/web1/hardware-configuration.nix" },
    { command: "fedi adopt web1 store1 --json", description: "the facts of two machines as JSON" },
  ],
  async run(ctx) {
    const names = [...new Set(ctx.positionals)];
    const loaded = await loadFromFlags(ctx);
    const { spec } = validateSpec(loaded.config.spec, loaded.registry);
    const unknown = names.filter((n) => !spec.machines.some((m) => m.name === n));
    if (unknown.length > 0) {
      throw new FediError("USAGE", `No machine named ${unknown.map((n) => `'${n}'`).join(", ")} in the config.`, {
        hint: `The config's machines: ${spec.machines.map((m) => m.name).join(", ") || "none"}.`,
      });
    }
    const configDir = loaded.config.dir;
    const dirFlag = stringFlag(ctx.flags, "dir");
    const dir = dirFlag !== undefined ? resolve(ctx.io.cwd, dirFlag) : configDir;
    const agent = ctx.io.env.SSH_AUTH_SOCK;
    const pool = new MachinePool();
    let results: Adopted[];
    try {
      results = await Promise.all(
        names.map(async (name): Promise<Adopted> => {
          const m = spec.machines.find((x) => x.name === name)!;
          const target: SshTarget = {
            machine: m.name,
            host: m.host,
            port: m.ssh.port,
            user: m.ssh.user,
            hostPublicKey: m.ssh.hostPublicKey,
            ...(m.ssh.identityFile ? { identityFile: m.ssh.identityFile } : agent ? { agent } : {}),
          };
          try {
            const report = await adoptMachine(pool, target);
            const file = await writeHardwareConfig(dir, name, report.hardwareConfig, {
              force: ctx.flags.force === true,
            });
            const config = adoptedMachineFacts(report, hardwareConfigImport(configDir, file.path));
            return { machine: name, report, file, config };
          } catch (error) {
            if (!isFediError(error)) throw error;
            return {
              machine: name,
              error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) },
            };
          }
        }),
      );
    } finally {
      await pool.closeAll();
    }
    const ok = results.every((r) => r.error === undefined && r.file?.action !== "refused");
    if (ctx.flags.json === true) {
      ctx.io.stdout.write(`${JSON.stringify({ outputVersion: 1, ok, machines: results.map(jsonOf) }, null, 2)}\n`);
    } else {
      ctx.io.stdout.write(`${results.map((r) => textOf(ctx, r)).join("\n")}`);
    }
    return ok ? EXIT.ok : EXIT.failure;
  },
};

function jsonOf(r: Adopted): Record<string, unknown> {
  if (r.error) return { machine: r.machine, error: r.error };
  const { hardwareConfig: _hw, ...report } = r.report!;
  return { machine: r.machine, file: r.file, config: r.config, report };
}

/** The text for one machine: what was read, the file, the lines to add and the notes. */
function textOf(ctx: CommandContext, r: Adopted): string {
  const out = ctx.out;
  if (r.error) {
    return `${out.red("✗")} ${out.bold(r.machine)}  ${r.error.code}: ${r.error.message}\n${r.error.hint ? `    ${r.error.hint}\n` : ""}`;
  }
  const report = r.report!;
  const file = r.file!;
  const c = r.config!;
  const lines = [
    `${file.action === "refused" ? out.red("✗") : out.green("●")} ${out.bold(r.machine)}  ${report.user} · ${report.firmware.toUpperCase()} · stateVersion ${report.stateVersion ?? "unknown"}${report.stateVersionSource ? ` (from the ${report.stateVersionSource})` : ""} · boot ${report.boot?.loader ?? "unknown"}`,
    `    ${c.nixosImports[0]}: ${file.action}${file.action === "refused" ? " (not written by fedi; run again with --force to replace it)" : ""}`,
    `    Add to the machine "${r.machine}" in the config:`,
  ];
  if (c.stateVersion !== undefined) lines.push(`      stateVersion: ${JSON.stringify(c.stateVersion)},`);
  if (c.boot !== undefined) lines.push(`      boot: ${inline(c.boot)},`);
  if (c.ssh.authorizedKeys !== undefined) {
    lines.push("      ssh: { ...the existing ssh settings, authorizedKeys: [");
    for (const key of c.ssh.authorizedKeys) lines.push(`        ${JSON.stringify(key)},`);
    lines.push("      ] },");
  }
  lines.push(`      nixosImports: ${inline(c.nixosImports)},`);
  for (const note of report.notes) lines.push(`    note: ${note}`);
  for (const s of report.skippedKeys) lines.push(`    skipped ${s.file}:${s.line}: ${s.reason}`);
  return `${lines.join("\n")}\n`;
}

/** A value as one line of TypeScript: `{ key: value }`, `[a, b]`, strings as JSON strings. */
function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inline).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).map(
      ([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${inline(v)}`,
    );
    return `{ ${entries.join(", ")} }`;
  }
  return JSON.stringify(value);
}
