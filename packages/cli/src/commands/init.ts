import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { FediError, writeFileAtomic } from "@fediversity/core";
import { CONFIG_FILE_NAMES } from "../config/find.js";
import { ensureGitignore } from "../init/gitignore.js";
import { initConfigTemplate } from "../init/template.js";
import { EXIT } from "../terminal/global-options.js";
import { displayPath } from "../workflow/plan-deployment.js";
import type { Command } from "./types.js";

/**
 * The steps after `fedi init`, in the order docs/operations.md ("First deployment") gives them: each command with
 * what it does. `machine` is the template's machine.
 */
export function initNextSteps(machine: string): Array<{ command: string; what: string }> {
  return [
    {
      command: `fedi adopt ${machine}`,
      what: `reads what the machine must keep; writes machines/${machine}/hardware-configuration.nix`,
    },
    { command: "fedi validate", what: "checks the config: every problem at once" },
    { command: "fedi plan", what: "writes the deployment directory deploy/" },
    { command: "fedi apply", what: "applies it to the machine and verifies the services" },
  ];
}

/** `fedi init`: writes a commented starting config and a `.gitignore` that keeps secrets out of version control. */
export const initCommand: Command = {
  name: "init",
  summary: "write a commented fedi.config.ts for one machine running Garage, Mastodon, Pixelfed and PeerTube",
  usage: "fedi init [--dir DIR] [--force]",
  description: [
    "Writes fedi.config.ts into DIR (default: the current directory): one machine that runs a single-node Garage and",
    "Mastodon, Pixelfed and PeerTube. Replace the address, SSH host key, domains and e-mail addresses with yours,",
    "then run `fedi adopt`, `fedi validate`, `fedi plan` and `fedi apply`. An existing config is never overwritten",
    "without --force. Also writes DIR/.gitignore keeping .fedi/secrets/, the state lock, temporary files and deploy/",
    "out of version control; an existing .gitignore gets only the missing lines appended (never replaced).",
  ].join("\n"),
  options: {
    dir: {
      type: "string",
      short: "d",
      valueName: "DIR",
      description: "directory to write into (created if missing; default: .)",
    },
    force: { type: "boolean", description: "overwrite an existing fedi.config.* in DIR" },
  },
  examples: [
    { command: "fedi init", description: "write ./fedi.config.ts" },
    {
      command: "fedi init --dir my-deployment && cd my-deployment && fedi validate",
      description: "start a new deployment folder",
    },
  ],
  async run(ctx) {
    const dir = resolve(ctx.io.cwd, typeof ctx.flags.dir === "string" ? ctx.flags.dir : ".");
    const path = join(dir, "fedi.config.ts");
    if (ctx.flags.force !== true) {
      for (const name of CONFIG_FILE_NAMES) {
        const existing = join(dir, name);
        if (
          await stat(existing).then(
            () => true,
            () => false,
          )
        ) {
          throw new FediError(
            "IO_FAILED",
            `${displayPath(ctx.io.cwd, existing)} already exists; fedi init does not overwrite it.`,
            {
              hint: "Pass --force to replace it, or choose another directory with --dir.",
            },
          );
        }
      }
    }
    await writeFileAtomic(path, initConfigTemplate());
    const ignore = await ensureGitignore(dir);
    const shown = displayPath(ctx.io.cwd, path);
    const ignoreShown = displayPath(ctx.io.cwd, join(dir, ".gitignore"));
    const cd = displayPath(ctx.io.cwd, dir);
    const ignoreLines =
      ignore.action === "written"
        ? [`${ctx.out.green("✓")} Wrote ${ignoreShown} (keeps .fedi/secrets/ out of version control)`]
        : ignore.action === "appended"
          ? [`${ctx.out.green("✓")} Added ${ignore.lines.length - 1} line(s) to ${ignoreShown}`]
          : ignore.action === "unchanged"
            ? [`${ctx.out.green("✓")} ${ignoreShown} already keeps secrets out`]
            : [
                `${ignoreShown} is not a regular file; add these lines to your git ignore rules yourself:`,
                ...ignore.lines.map((line) => `    ${line}`),
              ];
    const steps = initNextSteps("fedi01");
    ctx.io.stdout.write(
      [
        `${ctx.out.green("✓")} Wrote ${shown}`,
        ...ignoreLines,
        "",
        'Next (see docs/operations.md, "First deployment"):',
        `  1. Edit ${shown}: the machine's address and SSH host key (\`fedi keyscan ADDRESS\`), the domains and the e-mail addresses.`,
        ...steps.map(
          (s, i) =>
            `  ${i + 2}. ${i === 0 && cd !== "." ? `cd ${cd} && ` : ""}${s.command.padEnd(18)} ${ctx.out.dim(s.what)}`,
        ),
        "",
        "Commit fedi.config.ts, machines/ and .fedi/state.json (it holds no secret; placement sticks to it). Never",
        "commit .fedi/secrets/: back it up instead.",
        "",
      ].join("\n"),
    );
    return EXIT.ok;
  },
};
