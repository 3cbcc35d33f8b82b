import { createHash } from "node:crypto";

/** SSH host key types the SDK accepts in a spec. */
export const SSH_KEY_TYPES = [
  "ssh-ed25519",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "ssh-rsa",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
] as const;

/** A parsed OpenSSH public key line. */
export interface OpenSshPublicKey {
  /** Key type, e.g. `ssh-ed25519`. */
  type: string;
  /** The key blob as base64 (as in the line). */
  base64: string;
  /** The decoded key blob. */
  blob: Buffer;
  /** Trailing comment, if any. */
  comment?: string;
}

/**
 * Parses an OpenSSH public key line (`ssh-ed25519 AAAA... comment`). Returns the parsed key, or an error string
 * saying what is wrong (unknown type, blob not base64, blob of another type than the line says).
 */
export function parseOpenSshPublicKey(line: string): OpenSshPublicKey | { error: string } {
  const parts = line.trim().split(/\s+/);
  const [type, base64, ...rest] = parts;
  if (!type || !base64) return { error: "must be an OpenSSH public key line such as 'ssh-ed25519 AAAAC3Nza...'" };
  if (!(SSH_KEY_TYPES as readonly string[]).includes(type)) {
    return { error: `key type '${type}' is not one of ${SSH_KEY_TYPES.join(", ")}` };
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length % 4 !== 0) {
    return { error: "the key data is not valid base64" };
  }
  const blob = Buffer.from(base64, "base64");
  if (blob.length < 4) return { error: "the key data is too short" };
  const nameLength = blob.readUInt32BE(0);
  if (nameLength > blob.length - 4) return { error: "the key data is truncated" };
  const embedded = blob.subarray(4, 4 + nameLength).toString("latin1");
  if (embedded !== type) return { error: `the key data is a '${embedded}' key but the line says '${type}'` };
  const comment = rest.join(" ");
  return { type, base64, blob, ...(comment ? { comment } : {}) };
}

/** The OpenSSH `SHA256:...` fingerprint (base64 without padding) of a key blob or public key line. */
export function sshFingerprint(keyOrBlob: string | Uint8Array): string {
  let blob: Uint8Array;
  if (typeof keyOrBlob === "string") {
    const parsed = parseOpenSshPublicKey(keyOrBlob);
    if ("error" in parsed) throw new TypeError(`not an OpenSSH public key: ${parsed.error}`);
    blob = parsed.blob;
  } else {
    blob = keyOrBlob;
  }
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}
