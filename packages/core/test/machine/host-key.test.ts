import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasErrorCode } from "../../src/errors.js";
import { blobKeyType } from "../../src/machine/host-key.js";
import { fingerprintSha256, parseOpenSshPublicKey, validateOpenSshPublicKey } from "../../src/machine/index.js";

const run = promisify(execFile);

let dir: string;
const keys: Record<string, { line: string; fingerprint: string }> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fedi-hostkey-"));
  for (const type of ["ed25519", "ecdsa"] as const) {
    const path = join(dir, `key_${type}`);
    await run("ssh-keygen", ["-q", "-t", type, "-N", "", "-C", "root@web1 comment", "-f", path]);
    const line = (await readFile(`${path}.pub`, "utf8")).trim();
    // ssh-keygen -lf prints "<bits> SHA256:... comment (TYPE)": the reference fingerprint.
    const { stdout } = await run("ssh-keygen", ["-l", "-E", "sha256", "-f", `${path}.pub`]);
    keys[type] = { line, fingerprint: stdout.split(" ")[1]! };
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("parseOpenSshPublicKey", () => {
  it("parses a line from ssh-keygen, keeping the comment apart", () => {
    const key = parseOpenSshPublicKey(keys.ed25519!.line);
    expect(key.type).toBe("ssh-ed25519");
    expect(key.comment).toBe("root@web1 comment");
    expect(key.line).toBe(keys.ed25519!.line.split(" ").slice(0, 2).join(" "));
    expect(key.blob.length).toBe(51);
    expect(blobKeyType(key.blob)).toBe("ssh-ed25519");
  });

  it("computes the same SHA256 fingerprints as ssh-keygen -l", () => {
    for (const type of ["ed25519", "ecdsa"]) {
      const { line, fingerprint } = keys[type]!;
      expect(fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
      expect(parseOpenSshPublicKey(line).fingerprint).toBe(fingerprint);
      expect(fingerprintSha256(line)).toBe(fingerprint);
      expect(fingerprintSha256(parseOpenSshPublicKey(line).blob)).toBe(fingerprint);
    }
  });

  it("rejects an unknown type, naming the field and the accepted types", () => {
    const data = keys.ed25519!.line.split(" ")[1]!;
    try {
      parseOpenSshPublicKey(`ssh-dss ${data}`, "machines.web1.ssh.hostPublicKey");
      expect.unreachable();
    } catch (error) {
      expect(hasErrorCode(error, "SPEC_INVALID")).toBe(true);
      expect((error as Error).message).toContain("machines.web1.ssh.hostPublicKey");
      expect((error as Error).message).toContain('unsupported key type "ssh-dss"');
      expect((error as Error).message).toContain("ssh-ed25519");
    }
  });

  it("rejects key data whose embedded type differs from the declared one", () => {
    const data = keys.ed25519!.line.split(" ")[1]!;
    expect(validateOpenSshPublicKey(`ecdsa-sha2-nistp256 ${data}`)).toBe(
      'says "ecdsa-sha2-nistp256" but its key data is a "ssh-ed25519" key',
    );
  });

  it("rejects bad base64, missing data, empty and multi-line input", () => {
    expect(validateOpenSshPublicKey("ssh-ed25519 AAAA$$$")).toMatch(/not valid base64/);
    expect(validateOpenSshPublicKey("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI")).toMatch(/not valid base64/);
    expect(validateOpenSshPublicKey("ssh-ed25519")).toMatch(/no key data/);
    expect(validateOpenSshPublicKey("  ")).toMatch(/is empty/);
    expect(validateOpenSshPublicKey(`${keys.ed25519!.line}\n${keys.ecdsa!.line}`)).toMatch(/single line/);
    // Valid base64 but not an SSH blob (the length prefix points past the end).
    expect(validateOpenSshPublicKey("ssh-ed25519 AAAAAAAA")).toMatch(/not an SSH public key/);
    expect(validateOpenSshPublicKey(keys.ecdsa!.line)).toBeUndefined();
  });

  it("rejects an ed25519 key of the wrong length", () => {
    const blob = parseOpenSshPublicKey(keys.ed25519!.line).blob;
    const truncated = Buffer.concat([blob.subarray(0, 19), Buffer.from([0, 0, 0, 2, 1, 2])]);
    expect(validateOpenSshPublicKey(`ssh-ed25519 ${truncated.toString("base64")}`)).toMatch(/malformed ssh-ed25519/);
  });
});
