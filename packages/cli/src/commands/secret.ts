import { FediError } from "@fediversity/core";
import { EXIT } from "../terminal/global-options.js";
import { planDeployment } from "../workflow/plan-deployment.js";
import { CONFIG_OPTION, loadFromFlags, STATE_OPTION, secretStoreFor, withStateLock } from "./shared.js";
import type { Command } from "./types.js";

/** `fedi secret list|set|get`: the local secret store of a deployment. */
export const secretCommand: Command = {
  name: "secret",
  summary: "list, set or read secrets of the deployment (e.g. an SMTP password)",
  usage: "fedi secret list | fedi secret set NAME < value | fedi secret get NAME",
  description: [
    "Secrets live in <state>/secrets, one 0600 file each. `list` shows every secret the plan needs and whether it",
    "is set (generated ones are made by `fedi apply`; `import` ones you set yourself). `set NAME` reads the value",
    "from standard input — never from the command line, where it would land in shell history. `get NAME` prints it.",
  ].join("\n"),
  options: { config: CONFIG_OPTION, state: STATE_OPTION },
  positionals: [
    { name: "ACTION", description: "list, set or get", required: true },
    { name: "NAME", description: "secret name (set, get)", required: false },
  ],
  examples: [
    { command: "fedi secret list", description: "which secrets the plan needs and which are missing" },
    { command: 'printf %s "$PASSWORD" | fedi secret set social.smtp-password', description: "import a password" },
  ],
  async run(ctx) {
    const [action, name] = ctx.positionals;
    const loaded = await loadFromFlags(ctx);
    const store = secretStoreFor(loaded.stateDir);
    if (action === "list") {
      const { plan } = await planDeployment({ ...loaded, events: ctx.events });
      const lines = await Promise.all(
        plan.secrets.map(async (s) => {
          const set = await store.has(s.name);
          const how =
            s.generate.kind === "import" ? `import: ${s.generate.description}` : `generated (${s.generate.kind})`;
          return `${set ? ctx.out.green("set    ") : ctx.out.yellow("missing")} ${s.name}  ${ctx.out.dim(how)}`;
        }),
      );
      ctx.io.stdout.write(`${lines.join("\n")}\n`);
      return EXIT.ok;
    }
    if ((action === "set" || action === "get") && !name) {
      throw new FediError("USAGE", `fedi secret ${action} needs a NAME.`, {
        hint: "Run `fedi secret list` for the names.",
      });
    }
    if (action === "set") {
      if (!ctx.io.readStdin)
        throw new FediError("USAGE", "No standard input to read the value from.", { hint: "Pipe the value in." });
      const value = (await ctx.io.readStdin()).replace(/\r?\n$/, "");
      if (value === "")
        throw new FediError("USAGE", "The value on standard input is empty.", {
          hint: 'printf %s "$VALUE" | fedi secret set NAME',
        });
      await withStateLock(loaded.stateDir, "fedi secret set", () => store.set(name!, value));
      ctx.io.stderr.write(`secret ${name} set\n`);
      return EXIT.ok;
    }
    if (action === "get") {
      const value = await store.get(name!);
      if (value === undefined)
        throw new FediError("SECRET_FAILED", `Secret '${name}' is not set.`, { hint: "Run `fedi secret list`." });
      ctx.io.stdout.write(`${value}\n`);
      return EXIT.ok;
    }
    throw new FediError("USAGE", `Unknown secret action '${action ?? ""}'.`, { hint: "Use list, set or get." });
  },
};
