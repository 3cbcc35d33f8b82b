import { createHash } from "node:crypto";
import { FediError } from "../errors.js";

/** SSH public key types accepted as pinned host keys. */
export const HOST_KEY_TYPES = [
  "ssh-ed25519",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "ssh-rsa",
] as const;

/** One of {@link HOST_KEY_TYPES}. */
export type HostKeyType = (typeof HOST_KEY_TYPES)[number];

/** A parsed OpenSSH public key line (`type base64 [comment]`). */
export interface OpenSshPublicKey {
  /** Key type, e.g. `ssh-ed25519`. */
  type: HostKeyType;
  /** The decoded key blob (what the server sends during the handshake). */
  blob: Buffer;
  /** The comment after the key, if any. */
  comment: string | undefined;
  /** The canonical line without comment: `type base64`. */
  line: string;
  /** SHA-256 fingerprint in OpenSSH format (`SHA256:...`, unpadded base64). */
  fingerprint: string;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Reads the SSH wire-format string at `offset`; undefined when the blob is too short. */
function readSshString(blob: Buffer, offset: number): { value: Buffer; next: number } | undefined {
  if (blob.length < offset + 4) return undefined;
  const length = blob.readUInt32BE(offset);
  const start = offset + 4;
  if (blob.length < start + length) return undefined;
  return { value: blob.subarray(start, start + length), next: start + length };
}

/** The key type written inside an SSH public key blob, or undefined when the blob is malformed. */
export function blobKeyType(blob: Buffer): string | undefined {
  const first = readSshString(blob, 0);
  if (!first || first.value.length === 0 || first.value.length > 64) return undefined;
  const type = first.value.toString("latin1");
  return /^[\x21-\x7e]+$/.test(type) ? type : undefined;
}

/**
 * Checks an OpenSSH public key line. Returns a sentence saying what is wrong, or `undefined` when it is valid.
 * Suited to schema refinements; {@link parseOpenSshPublicKey} throws the same sentence as an error.
 */
export function validateOpenSshPublicKey(line: string): string | undefined {
  const result = parseParts(line);
  return typeof result === "string" ? result : undefined;
}

function parseParts(line: string): OpenSshPublicKey | string {
  if (typeof line !== "string") return "must be a string";
  const trimmed = line.trim();
  if (trimmed === "") return "is empty; expected an OpenSSH public key line such as `ssh-ed25519 AAAAC3Nza... host`";
  if (/[\r\n]/.test(trimmed)) return "must be a single line";
  const [type, data, ...rest] = trimmed.split(/\s+/);
  if (!type || !(HOST_KEY_TYPES as readonly string[]).includes(type)) {
    return `has unsupported key type "${type ?? ""}"; expected one of ${HOST_KEY_TYPES.join(", ")}`;
  }
  if (!data) return `has no key data after "${type}"`;
  if (!BASE64.test(data) || data.length % 4 !== 0) return "has key data that is not valid base64";
  const blob = Buffer.from(data, "base64");
  if (blob.toString("base64") !== data) return "has key data that is not valid base64";
  const embedded = blobKeyType(blob);
  if (embedded === undefined) return "has key data that is not an SSH public key";
  if (embedded !== type) return `says "${type}" but its key data is a "${embedded}" key`;
  if (type === "ssh-ed25519") {
    const key = readSshString(blob, 4 + type.length);
    if (key?.value.length !== 32 || key.next !== blob.length) return "has a malformed ssh-ed25519 key";
  }
  const comment = rest.length > 0 ? rest.join(" ") : undefined;
  return {
    type: type as HostKeyType,
    blob,
    comment,
    line: `${type} ${data}`,
    fingerprint: fingerprintSha256(blob),
  };
}

/**
 * Parses an OpenSSH public key line (`ssh-ed25519 AAAA... [comment]`), as found in `/etc/ssh/ssh_host_*_key.pub`
 * or printed by {@link keyscan}. Checks the type, the base64 and that the type embedded in the blob matches.
 * @param field - How to name the value in the error message, e.g. `machines.web1.ssh.hostPublicKey`.
 * @throws FediError `SPEC_INVALID` naming the field and what is wrong.
 */
export function parseOpenSshPublicKey(line: string, field = "ssh.hostPublicKey"): OpenSshPublicKey {
  const result = parseParts(line);
  if (typeof result === "string") {
    throw new FediError("SPEC_INVALID", `${field} ${result}.`, {
      hint: "Copy the line from /etc/ssh/ssh_host_ed25519_key.pub on the machine, or run `fedi keyscan HOST` and verify the fingerprint out of band.",
      issues: [{ path: field, message: result }],
    });
  }
  return result;
}

/**
 * SHA-256 fingerprint of a public key in OpenSSH format (`SHA256:` + base64 without padding), as `ssh-keygen -l`
 * prints it. Accepts the raw key blob or an OpenSSH public key line.
 */
export function fingerprintSha256(blobOrLine: Buffer | Uint8Array | string): string {
  const blob = typeof blobOrLine === "string" ? parseOpenSshPublicKey(blobOrLine).blob : Buffer.from(blobOrLine);
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

/** The host key algorithms to offer in the handshake so that the server presents a key of the given type. */
export function hostKeyAlgorithmsFor(type: HostKeyType): string[] {
  return type === "ssh-rsa" ? ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"] : [type];
}
