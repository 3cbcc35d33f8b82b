import { FediError, keyscan } from "@fediversity/core";
import { EXIT } from "../terminal/global-options.js";
import type { Command } from "./types.js";

/** `fedi keyscan HOST`: prints a machine's SSH host key line to paste into the spec after checking it. */
export const keyscanCommand: Command = {
  name: "keyscan",
  summary: "print a machine's SSH host key line (to pin in the config)",
  usage: "fedi keyscan HOST [--port N]",
  description: [
    "Connects to HOST, reads the SSH host key it offers (ed25519 preferred) and prints the line for",
    "`machines[].ssh.hostPublicKey`, with its SHA256 fingerprint on stderr. Nothing is trusted or stored:",
    "compare the fingerprint with the one the machine's console shows (`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub`)",
    "before you paste the line — the SDK refuses any other key afterwards.",
  ].join("\n"),
  options: { port: { type: "string", short: "p", valueName: "N", description: "SSH port (default 22)" } },
  positionals: [{ name: "HOST", description: "address of the machine", required: true }],
  examples: [{ command: "fedi keyscan 203.0.113.10", description: "print the host key line of a new machine" }],
  async run(ctx) {
    const host = ctx.positionals[0];
    if (!host)
      throw new FediError("USAGE", "fedi keyscan needs a HOST.", { hint: "Example: fedi keyscan 203.0.113.10" });
    const portText = typeof ctx.flags.port === "string" ? ctx.flags.port : "22";
    const port = Number(portText);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new FediError("USAGE", `--port '${portText}' is not a port number.`, {
        hint: "Use a number from 1 to 65535.",
      });
    }
    const result = await keyscan(host, port);
    ctx.io.stdout.write(`${result.line}\n`);
    ctx.io.stderr.write(`${result.fingerprint}  (verify it out of band before pinning it)\n`);
    return EXIT.ok;
  },
};
