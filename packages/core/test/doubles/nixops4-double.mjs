#!/usr/bin/env node
// A test double of the `nixops4` command-line tool (NixOps4 has no releases to run in tests).
//
// CLI contract, from nixops4/nixops4 at 53d8554 (rust/nixops4/src/main.rs, options/mod.rs, apply.rs — clap 4.5):
//   nixops4 apply [PATHS...]        dot-separated member paths; empty = whole root; overlapping paths are refused
//   nixops4 members list [PATH]     member names on stdout, one per line
//   nixops4 state dump <PATH>       (not simulated: exits 1)
//   global flags, accepted anywhere: -v/--verbose, --color <auto|always|never>, --interactive, --no-interactive
//   (conflicts with --interactive), --show-trace, --override-input <INPUT_ATTR_PATH> <FLAKE_REF>, --file <PATH>
//   (conflicts with --override-input), -h/--help, -V/--version.
// Usage errors are reported the way clap does (`error: …`, `Usage: …`, `For more information, try '--help'.`) with
// exit code 2. Failures print `nixops4 error: …` on stderr and exit 1 (application.rs `handle_result`).
// Root lookup: --file, else ./nixops4.nix, else ./flake.nix (the flake's `nixops4` output).
//
// Test controls (environment):
//   FEDI_NIXOPS4_DOUBLE_LOG       file to which each invocation is appended as a JSON line {argv, cwd, pid}
//                                 (and, in the hang scenario, {event:"child", pid})
//   FEDI_NIXOPS4_DOUBLE_MEMBERS   machine members as "web01,web02=198.51.100.7" (name or name=host; a name may be a
//                                 dotted path such as "default.web01", as the SDK's root has them); otherwise
//                                 ./members.json: ["web01", …] or {"web01": "host", …}. Host defaults to the name.
//                                 Each is a composite holding one resource, `nixos` (nixops4-nixos's component): NixOps4
//                                 names it `<member>.nixos`, e.g. `default.web01.nixos`
//                                 (`ComponentPath(["default", "web01", "nixos"])`, rust/nixops4/src/work.rs lines
//                                 1223 and 1411; Display joins with ".", rust/nixops4-core/src/eval_api.rs line 165).
//   FEDI_NIXOPS4_DOUBLE_SCENARIO  success (default) | eval-error | ssh-failure:<member> | copy-failure:<member> |
//                                 build-failure | activation-failure:<member> | hang
//   FEDI_NIXOPS4_DOUBLE_DELAY_MS  pause between output lines (to observe streaming); default 0
//   FEDI_NIXOPS4_DOUBLE_IGNORE_SIGTERM=1  in the hang scenario, the double and its child ignore SIGTERM
//
// Output lines have the shapes of the samples in test/nixops4/samples (see SOURCES.md there), with the messages of
// the Nix nixops4 pins (NixOS/nix fd941f6); the headless span lines (`Applying resource{resource=ComponentPath([…])}
// :creating resource{name="…"}`) follow tracing-subscriber's default format with span NEW/CLOSE events
// (rust/nixops4/src/logging/headless.rs lines 39-45) for the spans in rust/nixops4/src/work.rs — constructed, not
// recorded.
//
// STRICTER THAN THE REAL TOOL: in flake mode the double refuses to run unless the working directory is inside a git
// repository whose tree is clean (nothing modified, nothing untracked). Real NixOps4 (through Nix) only warns that
// the tree is dirty and silently ignores untracked files, which then go missing from the deployment.

import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const argv = process.argv.slice(2);
const cwd = process.cwd();
const env = process.env;

function log(record) {
  if (env.FEDI_NIXOPS4_DOUBLE_LOG) appendFileSync(env.FEDI_NIXOPS4_DOUBLE_LOG, `${JSON.stringify(record)}\n`);
}

log({ argv, cwd, pid: process.pid });

// ---------------------------------------------------------------------------------------------- argument parsing

const USAGE = {
  root: "Usage: nixops4 [OPTIONS] <COMMAND>",
  apply: "Usage: nixops4 apply [OPTIONS] [PATHS]...",
  members: "Usage: nixops4 members [OPTIONS] <COMMAND>",
  "members list": "Usage: nixops4 members list [OPTIONS] [PATH]",
  state: "Usage: nixops4 state [OPTIONS] <COMMAND>",
  "state dump": "Usage: nixops4 state dump [OPTIONS] <PATH>",
};

function usageError(message, command) {
  process.stderr.write(`error: ${message}\n\n${USAGE[command] ?? USAGE.root}\n\nFor more information, try '--help'.\n`);
  process.exit(2);
}

const options = {
  verbose: false,
  color: "auto",
  interactive: false,
  noInteractive: false,
  showTrace: false,
  overrideInput: [],
  file: undefined,
};
const seen = new Set();
const words = [];
let command = "";

function once(flag) {
  if (seen.has(flag)) usageError(`the argument '${flag}' cannot be used multiple times`, command);
  seen.add(flag);
}

function takeValue(index, flag, valueName, inline) {
  if (inline !== undefined) return [inline, index];
  const value = argv[index + 1];
  if (value === undefined || (value.startsWith("-") && value !== "-")) {
    usageError(`a value is required for '${flag} <${valueName}>' but none was supplied`, command);
  }
  return [value, index + 1];
}

for (let i = 0; i < argv.length; i++) {
  const token = argv[i];
  if (token === "--") {
    words.push(...argv.slice(i + 1));
    break;
  }
  if (token.startsWith("--")) {
    const eq = token.indexOf("=");
    const name = eq >= 0 ? token.slice(0, eq) : token;
    const inline = eq >= 0 ? token.slice(eq + 1) : undefined;
    const noValue = () => {
      if (inline !== undefined)
        usageError(`unexpected value '${inline}' for '${name}' found; no more were expected`, command);
    };
    switch (name) {
      case "--verbose":
        noValue();
        once("--verbose");
        options.verbose = true;
        break;
      case "--interactive":
        noValue();
        once("--interactive");
        options.interactive = true;
        break;
      case "--no-interactive":
        noValue();
        once("--no-interactive");
        options.noInteractive = true;
        break;
      case "--show-trace":
        noValue();
        once("--show-trace");
        options.showTrace = true;
        break;
      case "--color": {
        once("--color");
        const [value, next] = takeValue(i, "--color", "COLOR", inline);
        if (!["auto", "always", "never"].includes(value)) {
          usageError(
            `invalid value '${value}' for '--color <COLOR>'\n  [possible values: auto, always, never]`,
            command,
          );
        }
        options.color = value;
        i = next;
        break;
      }
      case "--file": {
        once("--file");
        const [value, next] = takeValue(i, "--file", "PATH", inline);
        options.file = value;
        i = next;
        break;
      }
      case "--override-input": {
        const a = argv[i + 1];
        const b = argv[i + 2];
        if (inline !== undefined || a === undefined || b === undefined) {
          usageError(
            "2 values required for '--override-input <INPUT_ATTR_PATH> <FLAKE_REF>' but 1 was provided",
            command,
          );
        }
        options.overrideInput.push([a, b]);
        i += 2;
        break;
      }
      case "--help":
        process.stdout.write(`${USAGE[command] ?? USAGE.root}\n\n(nixops4 test double)\n`);
        process.exit(0);
        break;
      case "--version":
        process.stdout.write("nixops4 0.1.0\n");
        process.exit(0);
        break;
      default:
        usageError(`unexpected argument '${name}' found`, command);
    }
    continue;
  }
  if (token.startsWith("-") && token.length > 1) {
    for (const letter of token.slice(1)) {
      if (letter === "v") {
        once("--verbose");
        options.verbose = true;
      } else if (letter === "h") {
        process.stdout.write(`${USAGE[command] ?? USAGE.root}\n\n(nixops4 test double)\n`);
        process.exit(0);
      } else if (letter === "V") {
        process.stdout.write("nixops4 0.1.0\n");
        process.exit(0);
      } else {
        usageError(`unexpected argument '-${letter}' found`, command);
      }
    }
    continue;
  }
  // A positional word: subcommands first, then their arguments.
  if (command === "") {
    if (token === "apply" || token === "members" || token === "state") command = token;
    else usageError(`unrecognized subcommand '${token}'`, command);
  } else if (command === "members" || command === "state") {
    const sub = command === "members" ? "list" : "dump";
    if (token !== sub) usageError(`unrecognized subcommand '${token}'`, command);
    command = `${command} ${token}`;
  } else {
    words.push(token);
  }
}

if (command === "") usageError("'nixops4' requires a subcommand but one was not provided", "");
if (command === "members" || command === "state") {
  usageError(`'nixops4 ${command}' requires a subcommand but one was not provided`, command);
}
if (options.interactive && options.noInteractive) {
  usageError("the argument '--interactive' cannot be used with '--no-interactive'", command);
}
if (options.file !== undefined && options.overrideInput.length > 0) {
  usageError(
    "the argument '--file <PATH>' cannot be used with '--override-input <INPUT_ATTR_PATH> <FLAKE_REF>'",
    command,
  );
}
if (command === "members list" && words.length > 1) usageError(`unexpected argument '${words[1]}' found`, command);
if (command === "state dump" && words.length !== 1) {
  if (words.length === 0) usageError("the following required arguments were not provided:\n  <PATH>", command);
  usageError(`unexpected argument '${words[1]}' found`, command);
}

// ------------------------------------------------------------------------------------------------------ output

const delayMs = Number(env.FEDI_NIXOPS4_DOUBLE_DELAY_MS ?? "0") || 0;

async function err(line) {
  process.stderr.write(`${line}\n`);
  if (delayMs > 0) await sleep(delayMs);
}

function fail(message) {
  process.stderr.write(`nixops4 error: ${message}\n`);
  process.exit(1);
}

function timestamp() {
  return new Date().toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

function span(fields, event) {
  return `${timestamp()}  INFO ${fields}: nixops4::work: ${event}`;
}

const NIX_BASE32 = "0123456789abcdfghijklmnpqrsvwxyz";
function storeHash(seed) {
  const digest = createHash("sha256").update(seed).digest();
  let out = "";
  for (let i = 0; i < 32; i++) out += NIX_BASE32[(digest[i] ?? 0) % 32];
  return out;
}

/** The machine (NixOS host name) of a member path: its last segment. */
function machineOf(member) {
  return member.slice(member.lastIndexOf(".") + 1);
}

/** The nixos resource below a machine member, as NixOps4 prints it. */
function resourceOf(member) {
  return `${member}.nixos`;
}

function systemPath(member) {
  return `/nix/store/${storeHash(`system:${member}`)}-nixos-system-${machineOf(member)}-25.05`;
}

// ------------------------------------------------------------------------------------------ deployment lookup

if (options.interactive) fail("[nixops4-double] the interactive (TUI) mode is not simulated; pass --no-interactive");

let flakeMode = false;
if (options.file !== undefined) {
  if (!existsSync(resolve(cwd, options.file))) {
    fail(`Evaluation error: error: getting status of '${resolve(cwd, options.file)}': No such file or directory`);
  }
} else if (!existsSync(join(cwd, "nixops4.nix"))) {
  if (!existsSync(join(cwd, "flake.nix"))) {
    fail(`Evaluation error: error: path '${cwd}' is not a flake (because it doesn't contain a 'flake.nix' file)`);
  }
  flakeMode = true;
}

if (flakeMode) {
  const status = spawnSync("git", ["status", "--porcelain", "--untracked-files=all"], { cwd, encoding: "utf8" });
  if (status.status !== 0) {
    fail(
      `[nixops4-double] ${cwd} is not inside a git repository; a flake-based run needs its files tracked by git ` +
        "(stricter stand-in: real NixOps4 would evaluate a path flake instead)",
    );
  }
  if (status.stdout.trim() !== "") {
    process.stderr.write(`warning: Git tree '${cwd}' is dirty\n`);
    fail(
      "[nixops4-double] refusing to run: the git tree has uncommitted or untracked files, which a flake-based run " +
        "would not see; commit them first (stricter stand-in: real NixOps4 only warns)",
    );
  }
}

function readMembers() {
  const fromEnv = env.FEDI_NIXOPS4_DOUBLE_MEMBERS;
  const entries = new Map();
  if (fromEnv !== undefined) {
    for (const item of fromEnv
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)) {
      const [name, host] = item.split("=");
      entries.set(name, host || name);
    }
    return entries;
  }
  const file = join(cwd, "members.json");
  if (!existsSync(file)) return entries;
  const parsed = JSON.parse(readFileSync(file, "utf8"));
  if (Array.isArray(parsed)) for (const name of parsed) entries.set(String(name), String(name));
  else for (const [name, host] of Object.entries(parsed)) entries.set(name, String(host));
  return entries;
}

const members = readMembers();

// --------------------------------------------------------------------------------------------------- commands

if (command === "state dump") fail("[nixops4-double] `state dump` is not simulated");

if (command === "members list") {
  // Composites are the configured members and their ancestors; each member holds the resource `nixos`.
  const path = words[0] ?? "";
  const children = new Set();
  for (const name of members.keys()) {
    if (path === "") children.add(name.split(".")[0]);
    else if (name === path) children.add("nixos");
    else if (name.startsWith(`${path}.`)) children.add(name.slice(path.length + 1).split(".")[0]);
  }
  if (path !== "" && children.size === 0) {
    const cause = [...members.keys()].some((m) => path === resourceOf(m))
      ? `Expected composite at ${path}, but found resource`
      : `Error while loading member '${path.split(".").pop()}': Evaluation error: error: attribute \`${path.split(".").pop()}\` not found`;
    fail(`Failed to resolve path '${path}' for members list\n\nCaused by:\n    ${cause}`);
  }
  for (const name of children) process.stdout.write(`${name}\n`);
  process.exit(0);
}

// apply
for (const a of words) {
  for (const b of words) {
    if (a !== b && b.startsWith(`${a}.`)) fail(`Overlapping paths: '${a}' is an ancestor of '${b}'`);
  }
}
// A member may be given as a dotted path (e.g. `default.web01` for a composite below the root's `default`): a path
// selects the member equal to it or below it.
const selected = (path) =>
  [...members.keys()].filter((m) => m === path || m.startsWith(`${path}.`) || path.startsWith(`${m}.`));
for (const path of words) {
  if (selected(path).length === 0) {
    const root = path.split(".")[0];
    fail(`Error while loading member '${root}': Evaluation error: error: attribute \`${root}\` not found`);
  }
}
const targets = words.length > 0 ? [...new Set(words.flatMap(selected))] : [...members.keys()];

const scenario = env.FEDI_NIXOPS4_DOUBLE_SCENARIO ?? "success";
const [scenarioName, scenarioMember] = scenario.split(":");

function applyingSpan(member) {
  const segments = resourceOf(member)
    .split(".")
    .map((s) => JSON.stringify(s))
    .join(", ");
  return `Applying resource{resource=ComponentPath([${segments}])}`;
}

function creatingSpan(member) {
  return `${applyingSpan(member)}:creating resource{name="${resourceOf(member)}"}`;
}

async function startResource(member) {
  await err(span(applyingSpan(member), "new"));
  await err(span(creatingSpan(member), "new"));
}

async function copyClosure(member) {
  await err("copying 1 paths...");
  await err(`copying path '${systemPath(member)}' to 'ssh-ng://root@${members.get(member)}'...`);
}

async function succeed(member) {
  await startResource(member);
  await copyClosure(member);
  await err("activating the configuration...");
  await err("setting up /etc...");
  await err("reloading user units for root...");
  await err("restarting sysinit-reactivation.target");
  await err("the following new units were started: mastodon-web.service");
  await err(span(creatingSpan(member), "close time.busy=1.52s time.idle=41.2µs"));
  await err(span(applyingSpan(member), "close time.busy=1.53s time.idle=12.0µs"));
}

function resourceFailed(member) {
  fail(
    `Failed to create stateless resource ${resourceOf(member)}: Local resource process failed with exit code: exit status: 1`,
  );
}

switch (scenarioName) {
  case "success": {
    for (const member of targets) await succeed(member);
    process.exit(0);
    break;
  }
  case "eval-error": {
    const member = targets[0] ?? "web01";
    fail(
      `Error while loading member '${machineOf(member)}': Evaluation error: error: attribute 'localDomain' missing\n\n` +
        `       at /nix/store/${storeHash("module")}-source/machines/${member}/mastodon.nix:12:20:\n\n` +
        "           11|   services.mastodon = {\n" +
        "           12|     localDomain = cfg.localDomain;\n" +
        "             |                    ^",
    );
    break;
  }
  case "build-failure": {
    const member = targets[0] ?? "web01";
    const drv = `/nix/store/${storeHash("mastodon-config")}-mastodon-config.drv`;
    // NixOS/nix fd941f6 src/libstore/build/derivation-building-goal.cc lines 1158-1181 and 181-185
    await err(`building '${drv}'...`);
    await err(`error: Cannot build '${drv}'.`);
    await err("       Reason: builder failed with exit code 1.");
    await err("       Last 2 log lines:");
    await err("       > compiling assets...");
    await err("       > config check failed: SMTP_SERVER is not set");
    await err("       For full logs, run:");
    await err(`         nix log ${drv}`);
    fail(`Evaluation error: error: Cannot build '${systemPath(member)}.drv'.\n       Reason: 1 dependency failed.`);
    break;
  }
  case "ssh-failure":
  case "copy-failure":
  case "activation-failure": {
    let failed = false;
    for (const member of targets) {
      if (member !== scenarioMember) {
        await succeed(member);
        continue;
      }
      failed = true;
      const host = members.get(member);
      await startResource(member);
      if (scenarioName === "ssh-failure") {
        await err(`No ED25519 host key is known for ${host} and you have requested strict checking.`);
        await err("Host key verification failed.");
        await err(`error: failed to start SSH connection to '${host}'`);
      } else if (scenarioName === "copy-failure") {
        await copyClosure(member);
        // NixOS/nix fd941f6 src/libstore/local-store.cc line 1049
        await err(`error: cannot add path '${systemPath(member)}' because it lacks a signature by a trusted key`);
      } else {
        await copyClosure(member);
        await err("activating the configuration...");
        await err("setting up /etc...");
        await err("starting the following units: mastodon-web.service");
        await err("warning: the following units failed: mastodon-web.service");
        await err("warning: error(s) occurred while switching to the new configuration");
      }
    }
    if (failed) resourceFailed(scenarioMember);
    process.exit(0);
    break;
  }
  case "hang": {
    const ignoreTerm = env.FEDI_NIXOPS4_DOUBLE_IGNORE_SIGTERM === "1";
    if (ignoreTerm) process.on("SIGTERM", () => {});
    const member = targets[0] ?? "web01";
    await startResource(member);
    await copyClosure(member);
    const childCode = `${ignoreTerm ? "process.on('SIGTERM', () => {});" : ""} setInterval(() => {}, 1 << 30);`;
    const child = spawn(process.execPath, ["-e", childCode], { stdio: ["ignore", "ignore", "inherit"] });
    log({ event: "child", pid: child.pid });
    setInterval(() => {}, 1 << 30);
    break;
  }
  default:
    fail(`[nixops4-double] unknown FEDI_NIXOPS4_DOUBLE_SCENARIO ${JSON.stringify(scenario)}`);
}
