/**
 * Keeps secrets out of `machines[].nixos`: those settings are printed into the machine's generated module, which
 * lands in the world-readable Nix store.
 *
 * A setting is refused when
 * - its option path has a secret-looking name (`users.users.root.password`, `hashedPassword`, `initialPassword`,
 *   `*Secret*`, `*Token*`, `*Key*`, concatenations such as `SMTPPASSWORD`; see `isSecretLookingName`) and its
 *   value is a string or number, unless the value is a path: a file under `/run/`, or any absolute path when the
 *   option's own name says it holds a file's path (ends in `File`, `Files`, `Path`, `Dir`, `Directory`:
 *   `hashedPasswordFile`, `environmentFile`, `privateKeyFile`). A string path is only a name in Nix; the file's
 *   content never enters the store. Below a name for public keys (`authorizedKeys.keys`, `knownHosts`,
 *   `publicKey`), only the stronger secret words count; a few NixOS names that only look secret are exempt
 *   (`NIXOS_NON_SECRET_NAMES`: `console.keyMap`, `services.openssh.hostKeys`).
 * - any string value is shaped like a credential (a PEM private key, an access key id, a token, a URL with a
 *   password, a long random string; see `credentialShape`), except OpenSSH public key lines and values of
 *   public-key or checksum names (`sha256`, `hash`, `rev`) and UUIDs.
 * Messages never repeat the value.
 */
import type { FediIssue } from "../errors.js";
import type { DeploymentSpec } from "../model/spec.js";
import { formatPath } from "../model/zod-issues.js";
import { isNixNode } from "../nix/ast.js";
import {
  containsSecretWord,
  credentialShape,
  isPublicKeyName,
  isRuntimeSecretPath,
  isSecretLookingName,
  nameSegments,
} from "../plugin/kit/secret-patterns.js";

/** Last name segments that say an option holds the path of a file or folder, not the content. */
const PATH_NAME_SUFFIXES: ReadonlySet<string> = new Set(["file", "files", "path", "paths", "dir", "directory"]);

/**
 * NixOS option names that look secret but name no secret (compared exactly): `console.keyMap` (a keyboard layout),
 * `services.openssh.hostKeys` (paths and types of the host keys; the keys stay on the machine).
 */
export const NIXOS_NON_SECRET_NAMES: ReadonlySet<string> = new Set(["keyMap", "hostKeys"]);

/** Last name segments of checksums and revisions: long hex or base32 values that are not secrets. */
const CHECKSUM_NAMES: ReadonlySet<string> = new Set([
  "sha1",
  "sha256",
  "sha512",
  "hash",
  "narhash",
  "integrity",
  "rev",
]);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OPENSSH_PUBLIC_KEY =
  /^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/]+={0,3}( [^\n]*)?$/;

/** What the secret store offers instead, for the issues' hint. */
export const NIXOS_SECRET_HINT =
  "machines[].nixos lands in the world-readable Nix store: keep secrets out of it. Put the value in a file on the " +
  "machine (outside the store) and point the option's *File variant at it (e.g. users.users.<name>.hashedPasswordFile). " +
  "Secrets of a service belong to its plugin: the plugin declares them, they live in the secret store " +
  "(`fedi secret list`, `fedi secret set <instance>.<secret> < file`) and are installed under /run/fediversity/secrets/, " +
  "referred to by path.";

/** An absolute path without whitespace or `..`/`.` segments. */
function isAbsolutePath(value: string): boolean {
  return /^\/[^\0\s]*$/.test(value) && !value.split("/").some((s) => s === ".." || s === ".");
}

/** One problem: the key path inside the `nixos` data and what is wrong (never the value). */
export interface NixosSecretProblem {
  path: Array<string | number>;
  message: string;
}

/** The problems of one machine's `nixos` data (paths relative to it). */
export function findNixosSecretProblems(nixos: unknown): NixosSecretProblem[] {
  const out: NixosSecretProblem[] = [];
  const visit = (value: unknown, path: Array<string | number>): void => {
    if (isNixNode(value)) {
      // Printer nodes inside the data: look at the literal text of strings, the items of lists and attribute sets.
      switch (value.kind) {
        case "attrs":
          for (const e of value.entries) visit(e.value, [...path, e.name]);
          return;
        case "list":
          for (const [i, item] of value.items.entries()) visit(item, [...path, i]);
          return;
        case "string":
        case "indented":
          visit(value.parts.filter((p): p is string => typeof p === "string").join(""), path);
          return;
        case "apply":
          for (const a of value.args) visit(a, path);
          return;
        default:
          return;
      }
    }
    if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) visit(item, [...path, i]);
      return;
    }
    if (value !== null && typeof value === "object") {
      for (const key of Object.keys(value)) visit((value as Record<string, unknown>)[key], [...path, key]);
      return;
    }
    if (typeof value !== "string" && typeof value !== "number") return;
    const names = path.filter((p): p is string => typeof p === "string");
    const last = names.at(-1) ?? "";
    const lastSegment = nameSegments(last).at(-1) ?? "";
    const publicFrom = names.findIndex(isPublicKeyName);
    const secretName = names.find((n, i) => {
      if (NIXOS_NON_SECRET_NAMES.has(n)) return false;
      return publicFrom >= 0 && i > publicFrom ? containsSecretWord(n) : isSecretLookingName(n);
    });
    if (secretName !== undefined) {
      const isPath =
        typeof value === "string" &&
        (isRuntimeSecretPath(value) || (PATH_NAME_SUFFIXES.has(lastSegment) && isAbsolutePath(value)));
      if (!isPath) {
        out.push({
          path,
          message: `'${secretName}' looks like a secret setting, and its value would be stored in the world-readable Nix store; only a file path may go here (a path under /run/, or an absolute path for an option whose name ends in File or Path)`,
        });
        return;
      }
    }
    if (typeof value !== "string") return;
    if (publicFrom >= 0 || CHECKSUM_NAMES.has(lastSegment) || UUID.test(value) || OPENSSH_PUBLIC_KEY.test(value))
      return;
    const shape = credentialShape(value);
    if (shape !== undefined && !isRuntimeSecretPath(value)) {
      out.push({
        path,
        message: `holds what looks like ${shape}; it would be stored in the world-readable Nix store`,
      });
    }
  };
  visit(nixos, []);
  return out;
}

/**
 * One issue per secret-looking setting in the machines' `nixos` data (see the module comment), with its spec path
 * (`machines[0].nixos.users.users.root.password`), code `SPEC_INVALID` and a hint naming the secret store.
 */
export function nixosSecretIssues(spec: Pick<DeploymentSpec, "machines">): FediIssue[] {
  return spec.machines.flatMap((m, i) => machineNixosSecretIssues(m.nixos, i));
}

/** The issues {@link nixosSecretIssues} reports for one machine's `nixos` data, the machine being `machines[index]`. */
export function machineNixosSecretIssues(nixos: unknown, index: number): FediIssue[] {
  return findNixosSecretProblems(nixos ?? {}).map((p) => ({
    path: formatPath(p.path, `machines[${index}].nixos`),
    message: p.message,
    code: "SPEC_INVALID",
    hint: NIXOS_SECRET_HINT,
  }));
}
