import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { FediError, writeFileAtomic } from "@fediversity/core";
import { CONFIG_FILE_NAMES } from "../config/find.js";
import { initConfigTemplate } from "../init/template.js";
import { EXIT } from "../terminal/global-options.js";
import { displayPath } from "../workflow/plan-deployment.js";
import type { Command } from "./types.js";

/** `fedi init`: writes a commented starting config. */
export const initCommand: Command = {
  name: "init",
  summary: "write a commented fedi.config.ts for one machine running Garage, Mastodon, Pixelfed and PeerTube",
  usage: "fedi init [--dir DIR] [--force]",
  description: [
    "Writes fedi.config.ts into DIR (default: the current directory): one machine that runs a single-node Garage and",
    "Mastodon, Pixelfed and PeerTube. Replace the address, SSH host key, domains and e-mail addresses with yours,",
    "then run `fedi validate` and `fedi plan`. An existing config is never overwritten without --force.",
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
    const shown = displayPath(ctx.io.cwd, path);
    const cd = displayPath(ctx.io.cwd, dir);
    ctx.io.stdout.write(
      [
        `${ctx.out.green("✓")} Wrote ${shown}`,
        "",
        "Next:",
        `  1. Edit ${shown}: the machine's address and SSH host key, the domains and the e-mail addresses.`,
        `  2. ${cd === "." ? "" : `cd ${cd} && `}fedi validate`,
        "  3. fedi plan          (writes deploy/; add .fedi/ and deploy/ to version control as you see fit)",
        "",
      ].join("\n"),
    );
    return EXIT.ok;
  },
};
