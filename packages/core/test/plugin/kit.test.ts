// Unit tests of the generic service-plugin kit (packages/core/src/plugin/kit). Intended home:
// packages/core/test/plugin/kit.test.ts (imports from the package name work there too).
import {
  acmeVirtualHost,
  adminPasswordSecret,
  checkOptionContract,
  credentialShape,
  extraSettingsSchema,
  formatPath,
  isRuntimeSecretPath,
  isSecretLookingName,
  type OptionContract,
  parseOptionType,
  parseS3Endpoint,
  requirePublicUrl,
  reservedKeys,
  resourcesSchema,
  type ServiceContext,
  SmtpOptions,
  smtpPasswordSecret,
  valueFitsType,
  virtualHostEndpoint,
} from "@fediversity/core";
import { describe, expect, it } from "vitest";

describe("secret-shape heuristics", () => {
  it.each([
    ["SMTP_PASSWORD", true],
    ["secretKeyBase", true],
    ["api-key", true],
    ["OTP_SECRET", true],
    ["oauth2.token_lifetime", true],
    ["monkey", false],
    ["KEYBOARD_LAYOUT", false],
    ["DEFAULT_LOCALE", false],
    ["passport_enabled", false],
  ])("isSecretLookingName(%s) is %s", (name, expected) => {
    expect(isSecretLookingName(name)).toBe(expected);
  });

  it.each([
    ["-----BEGIN OPENSSH PRIVATE KEY-----\nabc", "a PEM key or certificate"],
    ["AKIAABCDEFGHIJKLMNOP", "an AWS access key id"],
    ["GK0123456789abcdef01234567", "a Garage access key id"],
    ["https://user:hunter2@example.org/x", "a URL with a password"],
    ["Bearer abcdefghijklmnopqrstuvwxyz", "a bearer token"],
    ["0123456789abcdef0123456789abcdef", "a random key (a long run of letters and digits)"],
  ])("credentialShape recognises %s", (value, shape) => {
    expect(credentialShape(value)).toBe(shape);
  });

  it.each([
    "Welcome to our instance!",
    "/var/lib/mastodon/public-system/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1",
    "https://example.org/a/very/long/path/123456789012345678901234567890",
    "nl",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ",
  ])("credentialShape leaves %s alone", (value) => {
    expect(credentialShape(value)).toBeUndefined();
  });

  it("accepts only absolute /run paths without dot segments as runtime secret paths", () => {
    expect(isRuntimeSecretPath("/run/keys/x")).toBe(true);
    expect(isRuntimeSecretPath("/run/../etc/shadow")).toBe(false);
    expect(isRuntimeSecretPath("/var/lib/x")).toBe(false);
    expect(isRuntimeSecretPath("run/x")).toBe(false);
  });
});

describe("extraSettingsSchema", () => {
  const flat = extraSettingsSchema({
    shape: "flat",
    keyPattern: /^[A-Z][A-Z0-9_]*$/,
    reserved: reservedKeys({ names: ["LOCAL_DOMAIN"], namePrefixes: ["S3_"] }),
  });
  const nested = extraSettingsSchema({
    shape: "nested",
    reserved: reservedKeys({ paths: ["object_storage", "admin.email"] }),
    allowSecretLookingNames: ["oauth2.token_lifetime.access_token"],
  });
  const paths = (r: { success: boolean; error?: { issues: Array<{ path: PropertyKey[] }> } }) =>
    r.success ? [] : r.error!.issues.map((i) => formatPath(i.path));

  it("reports every problem at its own path", () => {
    expect(
      paths(
        flat.safeParse({
          OK: "x",
          LOCAL_DOMAIN: "a.b",
          S3_BUCKET: "b",
          bad: 1,
          DB_PASSWORD: "x",
          N: 2.5,
        }),
      ),
    ).toEqual(["LOCAL_DOMAIN", "S3_BUCKET", "bad", "DB_PASSWORD"]);
    expect(paths(flat.safeParse({ NESTED: { a: 1 } }))).toEqual(["NESTED"]);
    expect(
      paths(
        nested.safeParse({
          a: [{ b: { c_secret: "x" } }],
          object_storage: { x: 1 },
          admin: { email: "a", other: 1 },
        }),
      ),
    ).toEqual(["a[0].b.c_secret", "object_storage", "admin.email"]);
  });

  it("lets a secret-looking name hold a /run path, and allowed names hold anything that is not a credential", () => {
    expect(flat.safeParse({ API_KEY_FILE: "/run/keys/api" }).success).toBe(true);
    expect(
      nested.safeParse({
        oauth2: { token_lifetime: { access_token: "1 day" } },
      }).success,
    ).toBe(true);
    expect(
      nested.safeParse({
        oauth2: {
          token_lifetime: { access_token: "GK0123456789abcdef01234567" },
        },
      }).success,
    ).toBe(false);
  });

  it("never puts the value into a message", () => {
    const r = flat.safeParse({
      SMTP_PASSWORD: "hunter2-canary",
      X: "GK0123456789abcdef01234567",
    });
    expect(JSON.stringify(r.error?.issues)).not.toMatch(/hunter2-canary|GK0123456789abcdef01234567/);
  });
});

describe("option schemas", () => {
  it("resourcesSchema applies defaults and floors at the field's path", () => {
    const schema = resourcesSchema({
      service: "Svc",
      floor: { memoryMiB: 1000, cpus: 1, diskGiB: 5 },
      defaults: { memoryMiB: 2000, cpus: 2, diskGiB: 10 },
    });
    expect(schema.parse(undefined)).toEqual({
      memoryMiB: 2000,
      cpus: 2,
      diskGiB: 10,
      allowBelowFloor: false,
    });
    const r = schema.safeParse({ memoryMiB: 500, diskGiB: 1 });
    expect(r.success ? [] : r.error.issues.map((i) => [formatPath(i.path), i.message])).toEqual([
      [
        "memoryMiB",
        "must be at least 1000 MiB (Svc's floor); set allowBelowFloor: true to go below it at your own risk",
      ],
      ["diskGiB", "must be at least 5 GiB (Svc's floor); set allowBelowFloor: true to go below it at your own risk"],
    ]);
    expect(schema.parse({ memoryMiB: 500, allowBelowFloor: true }).memoryMiB).toBe(500);
    expect(schema.safeParse({ memoryMiB: 0, allowBelowFloor: true }).success).toBe(false);
  });

  it("SmtpOptions makes the password an imported secret only for a relay with a user", () => {
    expect(smtpPasswordSecret(SmtpOptions.parse({ mode: "local" }))).toBeUndefined();
    expect(smtpPasswordSecret(SmtpOptions.parse({ mode: "relay", host: "smtp.example.org" }))).toBeUndefined();
    expect(
      smtpPasswordSecret(
        SmtpOptions.parse({
          mode: "relay",
          host: "smtp.example.org",
          user: "u",
        }),
      ),
    ).toEqual({
      id: "smtp-password",
      generate: {
        kind: "import",
        description: "Password of SMTP user 'u' on smtp.example.org:587",
      },
    });
    expect(
      SmtpOptions.safeParse({
        mode: "relay",
        host: "smtp.example.org",
        password: "x",
      }).success,
    ).toBe(false);
  });

  it("adminPasswordSecret generates 24 characters or imports", () => {
    expect(adminPasswordSecret("generate", "d").generate).toEqual({
      kind: "random-alnum",
      length: 24,
    });
    expect(adminPasswordSecret("import", "d").generate).toEqual({
      kind: "import",
      description: "d",
    });
  });

  it("acmeVirtualHost asks for a certificate and forces HTTPS", () => {
    expect(acmeVirtualHost({ http2: true })).toEqual({
      enableACME: true,
      forceSSL: true,
      http2: true,
    });
  });
});

describe("S3 helpers", () => {
  const ctx = (s3: Partial<NonNullable<ServiceContext["s3"]>>): ServiceContext =>
    ({
      instance: { name: "i", kind: "k" },
      s3: {
        endpoint: "http://10.0.0.5:3900",
        region: "garage",
        forcePathStyle: true,
        buckets: { media: { id: "media", name: "b", public: true } },
        ...s3,
      },
    }) as unknown as ServiceContext;

  it("takes endpoints apart and builds the virtual-host endpoint", () => {
    expect(parseS3Endpoint("http://10.0.0.5:3900")).toEqual({
      protocol: "http",
      hostname: "10.0.0.5",
      port: 3900,
      host: "10.0.0.5:3900",
    });
    expect(parseS3Endpoint("https://s3.example.org")).toEqual({
      protocol: "https",
      hostname: "s3.example.org",
      host: "s3.example.org",
    });
    expect(() => parseS3Endpoint("ftp://x")).toThrow(/not http/);
    expect(
      virtualHostEndpoint({
        endpoint: "http://127.0.0.1:3900",
        region: "r",
        forcePathStyle: true,
        virtualHostRoot: ".s3.example.org",
      }),
    ).toBe("http://s3.example.org:3900");
    expect(
      virtualHostEndpoint({
        endpoint: "https://x",
        region: "r",
        forcePathStyle: true,
      }),
    ).toBeUndefined();
  });

  it("requirePublicUrl fails with SPEC_INVALID at storage.options when the storage gave none", () => {
    expect(
      requirePublicUrl(
        ctx({
          buckets: {
            media: {
              id: "media",
              name: "b",
              public: true,
              publicUrl: "https://b.web.example.org/",
            },
          },
        }),
        "media",
        "Svc",
      ),
    ).toBe("https://b.web.example.org");
    try {
      requirePublicUrl(ctx({}), "media", "Svc");
      expect.unreachable();
    } catch (e) {
      expect((e as { code: string }).code).toBe("SPEC_INVALID");
      expect((e as { issues: Array<{ path: string }> }).issues[0]!.path).toBe("storage.options");
    }
  });
});

describe("option contracts", () => {
  const contract: OptionContract = {
    sources: [],
    options: {
      "services.x.enable": "bool",
      "services.x.port": "port",
      "services.x.files": "listOf path",
      "services.x.settings": "attrsOf (oneOf [bool int str])",
      "services.nginx.virtualHosts.<name>.forceSSL": "bool",
    },
    required: ["services.x.enable"],
  };

  it("parses and applies the type grammar", () => {
    expect(parseOptionType("nullOr (listOf str)")).toEqual({
      kind: "nullOr",
      of: { kind: "listOf", of: { kind: "name", name: "str" } },
    });
    expect(valueFitsType("/run/x", parseOptionType("path"))).toBe(true);
    expect(valueFitsType("/nix/store/abc-x", parseOptionType("path"))).toBe(false);
    expect(valueFitsType({ a: 1.5 }, parseOptionType("attrsOf (oneOf [bool int str])"))).toBe(false);
    expect(() => parseOptionType("listOf")).toThrow(/ends early/);
  });

  it("walks module values through mk* wrappers and reports unknown paths, wrong types and missing required options", () => {
    const value = {
      services: {
        x: {
          enable: { _type: "override", priority: 1000, content: true },
          port: 70000,
          extra: 1,
        },
        nginx: { virtualHosts: { "a.example.org": { forceSSL: true } } },
      },
      other: { _type: "if", condition: false, content: { nope: 1 } },
    };
    const report = checkOptionContract(value, contract);
    expect(report.set).toEqual(["services.nginx.virtualHosts.<name>.forceSSL", "services.x.enable", "services.x.port"]);
    expect(report.problems).toEqual([
      "services.x.port: value does not fit the contract type 'port'",
      "services.x.extra: not an option of the contract",
    ]);
    expect(checkOptionContract({ services: { x: { port: 1 } } }, contract).problems).toEqual([
      "services.x.enable: required option not set",
    ]);
  });
});
