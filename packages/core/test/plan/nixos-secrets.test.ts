// Secret checks where a value reaches the Nix store: machines[].nixos (refused at validation, with the spec path and
// a hint naming the secret store, never the value) and the stricter name test shared with plugins' extraSettings,
// fuzzed over concatenations, separators and case.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createRegistry,
  extraSettingsSchema,
  type FediError,
  findNixosSecretProblems,
  formatPath,
  isSecretLookingName,
  SECRET_NAME_WORDS,
  validateSpec,
} from "../../src/index.js";
import { nix } from "../../src/nix/index.js";
import { machine, testPlugins } from "../fixtures/plugins.js";

const registry = createRegistry(testPlugins);
const SECRET = "hunter2-Very-Secret";

function refusal(nixos: Record<string, unknown>): FediError {
  try {
    validateSpec(
      { name: "prod", machines: [machine("box", "10.0.0.1", { nixos })], storage: { kind: "toystore" } },
      registry,
    );
  } catch (error) {
    return error as FediError;
  }
  throw new Error("expected a refusal");
}
const problemPaths = (nixos: unknown) => findNixosSecretProblems(nixos).map((p) => formatPath(p.path));

describe("machines[].nixos secret checks", () => {
  it("refuses passwords of users, with the spec path, a hint naming the secret store, and without the value", () => {
    const error = refusal({
      users: {
        users: {
          root: { password: SECRET, hashedPassword: "$6$salt$hash", initialPassword: SECRET },
          alice: { initialHashedPassword: "$y$j9T$x" },
        },
      },
    });
    expect(error.code).toBe("SPEC_INVALID");
    expect(error.issues?.map((i) => i.path)).toEqual([
      "machines[0].nixos.users.users.root.password",
      "machines[0].nixos.users.users.root.hashedPassword",
      "machines[0].nixos.users.users.root.initialPassword",
      "machines[0].nixos.users.users.alice.initialHashedPassword",
    ]);
    expect(error.issues?.[0]?.message).toMatch(/'password' looks like a secret setting.*world-readable Nix store/);
    expect(error.issues?.[0]?.hint).toMatch(/fedi secret set <instance>\.<secret>/);
    expect(error.issues?.[0]?.hint).toMatch(/hashedPasswordFile/);
    expect(JSON.stringify({ ...error, message: error.message, issues: error.issues })).not.toContain("hunter2");
    expect(JSON.stringify(error.issues)).not.toContain("$6$");
  });

  it.each([
    [{ services: { foo: { environment: { SMTPPASSWORD: "x" } } } }, "services.foo.environment.SMTPPASSWORD"],
    [
      { systemd: { services: { a: { environment: { SECRETKEYBASE: "x" } } } } },
      "systemd.services.a.environment.SECRETKEYBASE",
    ],
    [{ services: { a: { settings: { DEEPL_AUTHKEY: "x" } } } }, "services.a.settings.DEEPL_AUTHKEY"],
    [{ services: { a: { apiToken: 12345678 } } }, "services.a.apiToken"],
    [{ networking: { wireless: { networks: { home: { psk: "x" } } } } }, "networking.wireless.networks.home.psk"],
    [
      { networking: { wireguard: { interfaces: { wg0: { peers: [{ presharedKey: "x" }] } } } } },
      "networking.wireguard.interfaces.wg0.peers[0].presharedKey",
    ],
    [
      { environment: { etc: { k: { text: "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn" } } } },
      "environment.etc.k.text",
    ],
    [{ services: { a: { url: "https://u:pw@example.org/" } } }, "services.a.url"],
    [{ services: { a: { secrets: { one: "/var/lib/a/one" } } } }, "services.a.secrets.one"],
    [{ services: { a: { passwordFile: "not a path" } } }, "services.a.passwordFile"],
    [{ services: { a: { passwordFile: "/run/../etc/shadow x" } } }, "services.a.passwordFile"],
    [{ services: { a: nix.attrs({ token: nix.s`abc` }) } }, "services.a.token"],
  ])("refuses %j", (nixos, path) => {
    expect(problemPaths(nixos)).toEqual([path]);
    expect(refusal(nixos).issues?.map((i) => i.path)).toEqual([`machines[0].nixos.${path}`]);
  });

  it("allows file paths, booleans, public keys, checksums and everything else", () => {
    expect(
      problemPaths({
        fileSystems: { "/": { device: "/dev/disk/by-uuid/0b2f3c1e-1b5e-4c0e-9d7e-123456789abc", fsType: "ext4" } },
        users: {
          users: {
            root: { hashedPasswordFile: "/etc/nixos/root.hash" },
            alice: {
              openssh: {
                authorizedKeys: {
                  keys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMEnLm19Hsm2mDZSZOCeON/RzNJ7CkeQf3kBNuba+y/N alice"],
                },
              },
            },
          },
        },
        services: {
          openssh: { settings: { PasswordAuthentication: false }, hostKeys: [{ path: "/etc/ssh/k", type: "ed25519" }] },
          a: { environmentFile: "/run/keys/a.env", apiKeyFile: "/var/lib/a/key", tokenDir: "/var/lib/a/tokens" },
          b: { secretKeyBaseFile: "/run/fediversity/secrets/b" },
        },
        programs: {
          ssh: {
            knownHosts: {
              h: { publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJeBFqfjk8dHYUqt/NJ46s3PQjLzxwLldl9F9+iap5k3" },
            },
          },
        },
        nix: {
          settings: { "trusted-public-keys": ["cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY="] },
        },
        networking: { hostId: "8425e349", wireguard: { interfaces: { wg0: { privateKeyFile: "/etc/wg/key" } } } },
        x: { sha256: "0v1y7rsw8z0yrchd5ibh7q8hqpc7zdzfsllqgnldrh2p2b8v9l7q", keyboard: "us", monkey: "x" },
        time: { timeZone: "Europe/Amsterdam" },
        console: { keyMap: "us" },
      }),
    ).toEqual([]);
  });
});

// ---- the stricter name test, fuzzed ----------------------------------------------------------------------------

/** Words of real, non-secret setting names; no concatenation of them contains a secret word. */
const NEUTRAL = [
  "default",
  "locale",
  "single",
  "user",
  "mode",
  "max",
  "photo",
  "size",
  "limited",
  "federation",
  "trusted",
  "proxy",
  "root",
  "domain",
  "theme",
  "cache",
  "queue",
  "workers",
  "timeout",
  "language",
  "smtp",
  "deepl",
  "app",
  "base",
  "s3",
  "method",
  "from",
  "address",
  "db",
  "host",
  "enabled",
  "keyboard",
  "layout",
  "passport",
  "monkey",
];
/** Secret words as users write them inside names. */
const SECRET_WORDS = [...SECRET_NAME_WORDS, "SecretKeyBase", "AUTHKEY", "Api_Key"];
const sep = fc.constantFrom("", "_", "-", ".", " ");
const casing = fc.constantFrom<(s: string) => string>(
  (s) => s.toUpperCase(),
  (s) => s.toLowerCase(),
  (s) => s,
  (s) => s.charAt(0).toUpperCase() + s.slice(1),
);
const randomCase = (s: string, bits: boolean[]) =>
  [...s].map((c, i) => (bits[i % bits.length] ? c.toUpperCase() : c.toLowerCase())).join("");
const words = fc.array(fc.constantFrom(...NEUTRAL), { maxLength: 3 });

describe("isSecretLookingName (fuzzed)", () => {
  it("finds a secret word anywhere: concatenated, separated, in any case", () => {
    fc.assert(
      fc.property(
        words,
        fc.constantFrom(...SECRET_WORDS),
        words,
        sep,
        sep,
        fc.array(fc.boolean(), { minLength: 1 }),
        (pre, word, post, s1, s2, bits) => {
          const name = [pre.join(s1), randomCase(word, bits), post.join(s2)].filter((p) => p !== "").join(s1);
          expect(isSecretLookingName(name)).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("finds whole-segment words (key, pass, otp, psk) between separators or camelCase", () => {
    fc.assert(
      fc.property(
        words,
        fc.constantFrom("key", "keys", "pass", "otp", "psk", "pw"),
        words,
        fc.constantFrom("_", "-", ".", " "),
        casing,
        (pre, word, post, s, c) => {
          const name = [...pre, word, ...post].map((w) => c(w)).join(s);
          expect(isSecretLookingName(name)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("leaves names made of neutral words alone, however they are joined", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...NEUTRAL), { minLength: 1, maxLength: 4 }), sep, casing, (parts, s, c) => {
        expect(isSecretLookingName(parts.map(c).join(s))).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    "AUTHORIZED_FETCH",
    "VAPID_PUBLIC_KEY",
    "publicKey",
    "authorizedKeys",
    "passport_enabled",
    "KEYBOARD_LAYOUT",
    "monkey",
  ])("%s is not secret-looking", (name) => expect(isSecretLookingName(name)).toBe(false));
});

describe("extraSettings use the stricter test", () => {
  const flat = extraSettingsSchema({ shape: "flat", keyPattern: /^[A-Z][A-Z0-9_]*$/ });
  it.each([
    "SMTPPASSWORD",
    "SECRETKEYBASE",
    "DEEPL_AUTHKEY",
    "OTP_SECRET",
    "LIBRE_TRANSLATE_APIKEY",
    "HCAPTCHA_SECRET_KEY",
  ])("refuses %s with a value, allows it with a /run path", (name) => {
    const refused = flat.safeParse({ [name]: "plain-value" });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((i) => i.path)).toEqual([[name]]);
    expect(JSON.stringify(refused.error?.issues)).not.toContain("plain-value");
    expect(flat.safeParse({ [name]: "/run/keys/value" }).success).toBe(true);
  });

  it("fuzzed: an upper-case environment name holding a secret word never passes with a plain value", () => {
    fc.assert(
      fc.property(
        words,
        fc.constantFrom(...SECRET_NAME_WORDS),
        words,
        fc.constantFrom("", "_"),
        (pre, word, post, s) => {
          const name = [...pre, word, ...post]
            .join(s)
            .toUpperCase()
            .replace(/[^A-Z0-9_]/g, "_");
          expect(flat.safeParse({ [`X${name}`]: "value" }).success).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
