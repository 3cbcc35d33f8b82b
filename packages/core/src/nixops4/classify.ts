import {
  attributeLine,
  failedResourceInLine,
  hostInLine,
  machineForHost,
  machineForResource,
  machineForSystemPath,
  machineOfMember,
  memberInLoadError,
  type NixOps4Context,
} from "./attribute.js";
import { stripAnsi, truncate } from "./text.js";

/**
 * What went wrong in a NixOps4 run:
 * - `evaluation`: the Nix expression of the deployment failed to evaluate (nothing was changed on any machine);
 * - `ssh`: a machine could not be reached or refused us (connection, host key verification, authentication);
 * - `copy`: `nix copy` to a machine failed after connecting (remote store unusable, signatures, …);
 * - `build`: a derivation failed to build;
 * - `activation`: the new NixOS configuration failed to switch on a machine (`switch-to-configuration`);
 * - `unknown`: none of the above could be recognised.
 */
export type NixOps4FailureKind = "evaluation" | "ssh" | "copy" | "build" | "activation" | "unknown";

/** Every {@link NixOps4FailureKind}, in a stable order. */
export const NIXOPS4_FAILURE_KINDS: readonly NixOps4FailureKind[] = [
  "evaluation",
  "ssh",
  "copy",
  "build",
  "activation",
  "unknown",
];

/** One line of output that indicates a failure of some kind. */
export interface NixOps4FailureSignal {
  /** The kind of failure the line indicates. */
  kind: NixOps4FailureKind;
  /** Zero-based line number in the classified text. */
  line: number;
  /** The line, without ANSI escapes, cut to 300 characters. */
  text: string;
  /** Machine the line is about, when recognisable. */
  machine?: string;
  /** Remote host the line names (SSH and copy failures), normalised. */
  host?: string;
}

/** The result of {@link classifyNixOps4Failure}. */
export interface NixOps4Failure {
  /** The failure that decided the outcome (the earliest recognised one). */
  kind: NixOps4FailureKind;
  /** Machine the failure concerns, when it can be told. */
  machine?: string;
  /** Remote host named by the deciding line, for SSH and copy failures. */
  host?: string;
  /** The resource path NixOps4 reported as failed (`Failed to create stateless resource <path>`), if any. */
  resource?: string;
  /** The line that decided the kind (or NixOps4's own error line), without ANSI escapes, at most 300 characters. */
  summary: string;
  /** True when the output is a command-line usage error (NixOps4's argument parser rejected the invocation). */
  usage: boolean;
  /** Every failure line recognised, in output order. */
  signals: NixOps4FailureSignal[];
}

interface Rule {
  kind: NixOps4FailureKind;
  pattern: RegExp;
}

/**
 * Line patterns, checked in this order; the first that matches decides the line's kind. Each pattern is the shape of
 * a message printed by NixOps4, Nix, OpenSSH or NixOS's switch script; test/nixops4/samples/SOURCES.md says where
 * each shape was observed.
 */
const RULES: readonly Rule[] = [
  // OpenSSH client (reaching and authenticating to the machine)
  { kind: "ssh", pattern: /^Host key verification failed\.?$/ },
  { kind: "ssh", pattern: /and you have requested strict checking/ },
  { kind: "ssh", pattern: /REMOTE HOST IDENTIFICATION HAS CHANGED/ },
  { kind: "ssh", pattern: /^ssh: connect to host \S+ port \d+:/ },
  { kind: "ssh", pattern: /^ssh: Could not resolve hostname / },
  { kind: "ssh", pattern: /: Permission denied \((?:publickey|password|keyboard-interactive|hostbased|gssapi)/ },
  { kind: "ssh", pattern: /^Connection to \S+ port \d+ timed out/ },
  { kind: "ssh", pattern: /^Connection timed out during banner exchange/ },
  { kind: "ssh", pattern: /^kex_exchange_identification: / },
  { kind: "ssh", pattern: /^Connection closed by .*port \d+/ },
  // Nix's SSH transport
  { kind: "ssh", pattern: /failed to start SSH connection to '/ },
  { kind: "ssh", pattern: /cannot connect to '(?:ssh-ng:\/\/|ssh:\/\/)?[^']+'/ },
  // nix copy, once connected
  { kind: "copy", pattern: /cannot open connection to remote store '(?:ssh-ng|ssh):\/\// },
  { kind: "copy", pattern: /lacks a signature by a trusted key/ }, // NixOS/nix fd941f6 src/libstore/local-store.cc:1049
  { kind: "copy", pattern: /^error: cannot add path '/ },
  // Nix builds
  // NixOS/nix fd941f6 src/libstore/build/derivation-building-goal.cc:181 (dependencies), :1158 (builder), :300
  { kind: "build", pattern: /Cannot build '[^']+'\./ },
  { kind: "build", pattern: /^Reason: (?:builder failed|\d+ dependenc(?:y|ies) failed)/ },
  { kind: "build", pattern: /build of '[^']+' failed/ },
  { kind: "build", pattern: /hash mismatch in fixed-output derivation/ },
  // NixOS activation (bin/apply and switch-to-configuration on the machine)
  { kind: "activation", pattern: /error\(s\) occurred while switching to the new configuration/ },
  { kind: "activation", pattern: /the following units failed: / },
  { kind: "activation", pattern: /^NixOS apply error: / },
  // Nix evaluation and NixOps4's own structural errors
  { kind: "evaluation", pattern: /Evaluation error: / },
  { kind: "evaluation", pattern: /infinite recursion encountered/ },
  { kind: "evaluation", pattern: /undefined variable '/ },
  { kind: "evaluation", pattern: /attribute '[^']+' missing/ }, // Nix src/libexpr/eval.cc:1470
  { kind: "evaluation", pattern: /attribute `[^`]+` not found/ }, // nix-bindings-rust nix-bindings-expr/src/eval_state.rs:676
  { kind: "evaluation", pattern: /attribute '[^']+' in selection path '[^']+' not found/ },
  { kind: "evaluation", pattern: /while evaluating / },
  { kind: "evaluation", pattern: /syntax error, unexpected / },
  // nixpkgs lib/modules.nix:1266 and :349, lib/options.nix:512
  {
    kind: "evaluation",
    pattern: /The option `[^`']+' (?:was accessed but has no value defined|does not exist|has conflicting)/,
  },
  { kind: "evaluation", pattern: /Failed assertions:/ },
  { kind: "evaluation", pattern: /called (?:without required|with unexpected) argument/ },
  { kind: "evaluation", pattern: /cannot coerce / },
  { kind: "evaluation", pattern: /expected an? [\w ]+ but found / }, // Nix src/libexpr/include/nix/expr/eval-inline.hh:138
  { kind: "evaluation", pattern: /^Cycle detected: / },
  { kind: "evaluation", pattern: /Failed to resolve path '/ },
  { kind: "evaluation", pattern: /Expected (?:composite|resource) at / },
  { kind: "evaluation", pattern: /is not a flake|does not provide attribute/ },
];

/** Messages of NixOps4's command-line parser (clap): the invocation itself was wrong. */
const USAGE_PATTERNS: readonly RegExp[] = [
  /^Usage: nixops4\b/,
  /^error: (?:unexpected argument|unrecognized subcommand|invalid value|unexpected value|a value is required|the argument '[^']+' cannot be used|the following required arguments were not provided)/,
];

/** A Nix-style error line not recognised otherwise; counts as evaluation only when no resource failed. */
const GENERIC_ERROR = /^error: /;
const NIXOPS4_ERROR_PREFIX = /^nixops4 error:\s*/;
/** How many lines after the deciding line may supply its machine or host. */
const NEARBY_LINES = 20;

function lineBody(raw: string): string {
  return stripAnsi(raw).trim().replace(NIXOPS4_ERROR_PREFIX, "");
}

/**
 * Classifies the standard error of a failed `nixops4` run. Pure: looks only at the text (and at `context` to name
 * machines). The earliest recognised failure line decides the kind, because later errors are usually consequences
 * (`nix copy` failing after `Host key verification failed.`, a dependency failing after its builder). A Nix
 * `error:` line that matches nothing more specific counts as an evaluation error unless NixOps4 reports a failed
 * resource. The machine comes from the deciding line (host or system name) or a line of the same kind just after
 * it, else from the resource NixOps4 reports as failed (or the member it failed to load), else — when exactly one
 * member was applied — that member's machine.
 */
export function classifyNixOps4Failure(stderr: string, context: NixOps4Context = {}): NixOps4Failure {
  const lines = stderr.split("\n");
  const signals: NixOps4FailureSignal[] = [];
  const generic: NixOps4FailureSignal[] = [];
  const resources: string[] = [];
  let usageLine: string | undefined;
  let nixops4ErrorLine: string | undefined;
  let loadingMember: string | undefined;

  lines.forEach((raw, index) => {
    const plain = stripAnsi(raw).trim();
    if (plain === "") return;
    if (nixops4ErrorLine === undefined && NIXOPS4_ERROR_PREFIX.test(plain)) nixops4ErrorLine = plain;
    const body = lineBody(raw);
    const resource = failedResourceInLine(body);
    if (resource !== undefined) resources.push(resource);
    loadingMember ??= memberInLoadError(body, context);
    if (usageLine === undefined && USAGE_PATTERNS.some((p) => p.test(body))) {
      usageLine = plain;
      return;
    }
    const rule = RULES.find((r) => r.pattern.test(body));
    const text = truncate(plain, 300);
    if (rule) {
      const host = rule.kind === "ssh" || rule.kind === "copy" ? hostInLine(body) : undefined;
      const machine =
        (host !== undefined ? machineForHost(host, context) : undefined) ??
        (rule.kind === "build" ? machineForSystemPath(body, context) : undefined) ??
        (rule.kind === "ssh" || rule.kind === "copy" ? attributeLine(body, context) : undefined);
      signals.push({
        kind: rule.kind,
        line: index,
        text,
        ...(machine !== undefined ? { machine } : {}),
        ...(host !== undefined ? { host } : {}),
      });
    } else if (GENERIC_ERROR.test(body)) {
      generic.push({ kind: "evaluation", line: index, text });
    }
  });

  if (resources.length === 0) signals.push(...generic);
  signals.sort((a, b) => a.line - b.line);

  const resource = resources[0];
  const usage = usageLine !== undefined && signals.length === 0;
  const primary = usage ? undefined : signals[0];
  const fallbackMachine =
    resources.length > 0
      ? machineForResource(resources[0] as string, context)
      : (loadingMember ?? (context.members?.length === 1 ? machineOfMember(context.members[0] as string) : undefined));
  // The deciding line may not name the host (OpenSSH's banner lines); a line of the same kind right after may.
  const nearby = primary
    ? signals.filter((s) => s.kind === primary.kind && s.line >= primary.line && s.line <= primary.line + NEARBY_LINES)
    : [];
  const machine = primary?.machine ?? nearby.find((s) => s.machine !== undefined)?.machine ?? fallbackMachine;
  const host = primary?.host ?? nearby.find((s) => s.host !== undefined)?.host;
  const summary =
    primary?.text ??
    usageLine ??
    nixops4ErrorLine ??
    truncate([...lines].reverse().find((l) => stripAnsi(l).trim() !== "") ?? "", 300);

  return {
    kind: primary?.kind ?? "unknown",
    ...(machine !== undefined ? { machine } : {}),
    ...(host !== undefined ? { host } : {}),
    ...(resource !== undefined ? { resource } : {}),
    summary: truncate(stripAnsi(summary).trim(), 300),
    usage,
    signals,
  };
}
