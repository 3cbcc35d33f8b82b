/**
 * Property tests of the encoders in src/encode, each fed through its REAL consumer (see ./consumers.ts): 20 runs of
 * 500 generated values = 10,000 values per format per run. Values mix every character the formats treat specially
 * with injection fragments (`$(touch <canary>)`, backticks, quote breaks, new lines that would define `APP_KEY`, ...)
 * and arbitrary Unicode. Each property asserts: what the encoder accepts reads back unchanged, nothing else is
 * defined, and the canary file that an executed fragment would create does not exist.
 */
import { existsSync } from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  dotenvLine,
  dotenvValue,
  dotenvValueProblem,
  shellEnvLine,
  shellEnvValueProblem,
  systemdEnvLine,
  systemdEnvValueProblem,
} from "../../src/encode/index.js";
import {
  bashSource,
  phpdotenvAvailable,
  phpdotenvLoad,
  type Scratch,
  scratch,
  systemdLoadEnvFile,
  systemdParserAvailable,
  writeText,
} from "./consumers.js";

const RUNS = 20;
const BATCH = 500;
const CANARY = "@CANARY@";

/** Characters some format treats specially, plus ordinary ones and a few beyond ASCII. */
const CHARS = [
  ..."\"'$`\\(){}[]#=;|&!~*?<>%^ \t\n\r\v\f\u0000\u001b\u007f",
  ..."aZ09_-./:@+,",
  "é",
  "ß",
  "\u2028",
  "😀",
  "\ud800",
  "\ufffe",
  "\ufdd0",
  "\u{10ffff}",
];

/** Fragments that would run a command, expand something or add a line if a format let them through. */
const FRAGMENTS = [
  `$(touch ${CANARY})`,
  `\`touch ${CANARY}\``,
  `"; touch ${CANARY}; "`,
  `'; touch ${CANARY}; '`,
  `\ntouch ${CANARY}\n`,
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell/phpdotenv expansion, not a JS template
  "${IFS}",
  "$HOME",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell/phpdotenv expansion, not a JS template
  "${APP_KEY}",
  "\nAPP_KEY=evil",
  "\nDB_HOST=evil.example.org",
  "\rAWS_ENDPOINT=http://evil",
  '="',
  '\\"',
  "\\\\",
  "\\n",
  " #comment",
  "%n%%",
  "export X=1",
];

function valueArbitrary(canary: string): fc.Arbitrary<string> {
  const piece = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...CHARS) },
    { weight: 1, arbitrary: fc.constantFrom(...FRAGMENTS).map((f) => f.replaceAll(CANARY, canary)) },
  );
  return fc.oneof(
    { weight: 4, arbitrary: fc.array(piece, { maxLength: 12 }).map((parts) => parts.join("")) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 16 }) },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 24 }) },
  );
}

const batch = (canary: string) => fc.array(valueArbitrary(canary), { minLength: BATCH, maxLength: BATCH });

/** True when UTF-8 cannot carry the string (lone surrogates), found without the encoders' own helper. */
const brokenUtf16 = (v: string) => Buffer.from(v, "utf8").toString("utf8") !== v;

/** Fails in CI, and skips with one loud line elsewhere, when a consumer is not installed. */
function needs(available: boolean, what: string): boolean {
  if (available) return true;
  if (process.env.CI) throw new Error(`${what} is not installed, but CI must run these tests`);
  console.warn(`SKIPPED: ${what} is not installed (Debian: see the test file's header)`);
  return false;
}

let s: Scratch;
let generated = 0;
beforeAll(async () => {
  s = await scratch();
});
afterAll(async () => {
  await s.remove();
  // 10,000 values per format: the three consumer properties below.
  expect(generated).toBeGreaterThanOrEqual(3 * RUNS * BATCH);
});

describe("systemd EnvironmentFile (src/encode/systemd-env.ts)", () => {
  it("refuses only line breaks, NUL, lone surrogates and Unicode noncharacters", () => {
    const nonchar = (v: string) =>
      [...v].some((c) => /[\ufdd0-\ufdef]/u.test(c) || (c.codePointAt(0)! & 0xfffe) === 0xfffe);
    fc.assert(
      fc.property(valueArbitrary("/c"), (v) => {
        expect(systemdEnvValueProblem(v) !== undefined).toBe(/[\n\r\0]/.test(v) || brokenUtf16(v) || nonchar(v));
      }),
      { numRuns: 2000 },
    );
  });

  it.runIf(needs(systemdParserAvailable(), "systemd's libsystemd-shared with /usr/bin/python3"))(
    "systemd's own parser (load_env_file) and bash's `source` read back every accepted value, and nothing else",
    async () => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(batch(s.canary), async (values) => {
          generated += values.length;
          const accepted = values.filter((v) => systemdEnvValueProblem(v) === undefined);
          const lines = accepted.map((v, i) => `${systemdEnvLine(`V${i}`, v)}\n`).join("");
          const file = await writeText(s.dir, `systemd-${n++}.env`, lines);
          expect(await systemdLoadEnvFile(file)).toEqual(accepted.map((v, i) => `V${i}=${v}`));
          const bash = await bashSource([file], s.dir);
          expect(new Map(bash)).toEqual(new Map(accepted.map((v, i) => [`V${i}`, v])));
          expect(existsSync(s.canary)).toBe(false);
        }),
        { numRuns: RUNS },
      );
    },
  );
});

describe("shell-sourced env file as nixpkgs' mastodon.nix writes it (src/encode/shell-env.ts)", () => {
  it('writes the module\'s line, NAME="value" (mastodon.nix `envFile`), and refuses what bash would interpret', () => {
    expect(shellEnvLine("S3_BUCKET", "media.example.org")).toBe('S3_BUCKET="media.example.org"');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell expansion, not a JS template
    for (const bad of ['a"b', "$(id)", "`id`", "a\\b", "a\nb", "a\rb", "a\0b", "${X}"]) {
      expect(shellEnvValueProblem(bad)).toBeDefined();
      expect(() => shellEnvLine("X", bad)).toThrowError(/cannot be written/);
    }
  });

  it("bash sourcing the module's file (as mastodon-tootctl does, as root) reads back every accepted value and runs nothing", async () => {
    let n = 0;
    let acceptedTotal = 0;
    await fc.assert(
      fc.asyncProperty(batch(s.canary), async (values) => {
        generated += values.length;
        const accepted = values.filter((v) => shellEnvValueProblem(v) === undefined);
        acceptedTotal += accepted.length;
        // mastodon.nix: lib.concatMapStrings (s: s + "\n") (... ''${name}="${toString value}"'' ...)
        const file = await writeText(
          s.dir,
          `shell-${n++}.env`,
          accepted.map((v, i) => `${shellEnvLine(`V${i}`, v)}\n`).join(""),
        );
        const env = await bashSource([file], s.dir);
        expect(new Map(env)).toEqual(new Map(accepted.map((v, i) => [`V${i}`, v])));
        expect(existsSync(s.canary)).toBe(false);
      }),
      { numRuns: RUNS },
    );
    // The refusal is not everything: a good share of the generated values is accepted and checked.
    expect(acceptedTotal).toBeGreaterThan(RUNS * BATCH * 0.1);
  });

  it("refuses every value that bash does not read back unchanged from the module's raw line", async () => {
    // The converse guard: a value whose raw `V="value"` line bash reads differently (or fails on) is refused.
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(valueArbitrary(`${s.dir}/raw-canary`), { minLength: 50, maxLength: 50 }),
        async (values) => {
          const usable = values.filter((v) => !v.includes("\0") && !brokenUtf16(v));
          for (const [i, v] of usable.entries()) {
            const file = await writeText(s.dir, `raw-${n++}.env`, `V="${v}"\n`);
            let readBack: string | undefined;
            try {
              readBack = (await bashSource([file], s.dir)).get("V");
            } catch {
              readBack = undefined;
            }
            if (readBack !== v) expect(shellEnvValueProblem(v), `value #${i}`).toBeDefined();
          }
        },
      ),
      { numRuns: 4 },
    );
  });
});

describe("phpdotenv .env (src/encode/dotenv.ts)", () => {
  it("refuses only NUL and lone surrogates", () => {
    fc.assert(
      fc.property(valueArbitrary("/c"), (v) => {
        expect(dotenvValueProblem(v) !== undefined).toBe(v.includes("\0") || brokenUtf16(v));
      }),
      { numRuns: 2000 },
    );
  });

  it.runIf(needs(phpdotenvAvailable(), "php-cli with php-vlucas-phpdotenv"))(
    "phpdotenv reads back every value of a file laid out as pixelfed.nix writes .env, and the secret part keeps its values",
    async () => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(batch(s.canary), async (values) => {
          generated += values.length;
          const accepted = values.filter((v) => dotenvValueProblem(v) === undefined);
          // pixelfed.nix: configFile = lib.generators.toKeyValue { } cfg.settings (NAME=value, string inserted raw,
          // attribute names in sorted order), then `echo -e '\n' >> .env` (two newlines), then the secret file.
          const settings = accepted.map((v, i) => `S${String(i).padStart(4, "0")}=${dotenvValue(v)}\n`).join("");
          const secrets = [
            dotenvLine("APP_KEY", "base64:0123456789abcdef0123456789abcdef"),
            dotenvLine("DB_HOST", "/run/mysqld/mysqld.sock"),
            dotenvLine("MAIL_PASSWORD", accepted[0] ?? "p"),
          ].join("\n");
          const file = await writeText(s.dir, `pixelfed-${n}.env`, `${settings}\n\n${secrets}\n`);
          const env = await phpdotenvLoad(`pixelfed-${n++}.env`, s.dir);
          const expected = new Map(accepted.map((v, i) => [`S${String(i).padStart(4, "0")}`, v]));
          expected.set("APP_KEY", "base64:0123456789abcdef0123456789abcdef");
          expected.set("DB_HOST", "/run/mysqld/mysqld.sock");
          expected.set("MAIL_PASSWORD", accepted[0] ?? "p");
          expect(env).toEqual(expected);
          expect(existsSync(s.canary)).toBe(false);
          expect(file).toContain(s.dir);
        }),
        { numRuns: RUNS },
      );
    },
  );

  it.runIf(phpdotenvAvailable() || Boolean(process.env.CI))(
    "a raw value (as the plugin wrote it before) overrides APP_KEY; the encoded one does not",
    async () => {
      const injected = await writeText(s.dir, "raw2.env", `X=${"a\nAPP_KEY=evil"}\n`);
      expect((await phpdotenvLoad("raw2.env", s.dir)).get("APP_KEY")).toBe("evil");
      await writeText(s.dir, "enc.env", `X=${dotenvValue("a\nAPP_KEY=evil")}\n`);
      const env = await phpdotenvLoad("enc.env", s.dir);
      expect([...env.keys()]).toEqual(["X"]);
      expect(env.get("X")).toBe("a\nAPP_KEY=evil");
      expect(injected).toContain("raw2.env");
    },
  );
});
