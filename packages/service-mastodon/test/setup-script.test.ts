/**
 * Runs the setup unit's script (setupScript) with bash, as systemd would (same environment variables, the package
 * folder as working directory), against stubs of `bin/tootctl` and `bin/rails` that record their argv and
 * `EMAIL_DOMAIN_ALLOWLIST` and simulate Mastodon's answers. Stubs, because Mastodon itself cannot run here; what they
 * simulate is Mastodon's behaviour read from its source (lib/mastodon/cli/accounts.rb `create`: prints
 * "New password: ..." and exits 0 on success, reports the errors and exits 1 otherwise; the e-mail domain check of
 * app/validators/email_mx_validator.rb, skipped for domains on EMAIL_DOMAIN_ALLOWLIST).
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MastodonOptions } from "../src/options.js";
import { NO_ACCOUNT_EXIT, SETUP_STATE, setupScript } from "../src/setup-unit.js";

const run = promisify(execFile);

/**
 * Stub tootctl. Modes (file `mode` in the folder): `ok` creates the account; `no-dns` fails like Mastodon does for a
 * domain without MX/A/AAAA unless EMAIL_DOMAIN_ALLOWLIST holds it; `taken` fails because the account exists.
 */
const TOOTCTL = `#!/bin/bash
printf '%s\\n' "tootctl $* ALLOWLIST=\${EMAIL_DOMAIN_ALLOWLIST-unset}" >> "$STUB_DIR/calls"
mode=$(cat "$STUB_DIR/mode")
domain=\${FEDI_ADMIN_EMAIL#*@}
if [ "$mode" = no-dns ] && [[ "\${EMAIL_DOMAIN_ALLOWLIST-}" != *"$domain"* ]]; then mode=invalid; fi
case $mode in
  ok|no-dns) touch "$STUB_DIR/account"; echo OK; echo "New password: 0123456789abcdef0123456789abcdef"; exit 0 ;;
  invalid) echo "Failure/Error: email"; echo "  Email is unreachable"; exit 1 ;;
  taken) touch "$STUB_DIR/account"; echo "Failure/Error: username"; echo "  Username has already been taken"; exit 1 ;;
esac
`;

/** Stub rails: `runner CODE`; the password step exits 3 without the account, `db-down` fails every call. */
const RAILS = `#!/bin/bash
printf '%s\\n' "rails $1 $(printf '%s' "$2" | cut -c1-40) ALLOWLIST=\${EMAIL_DOMAIN_ALLOWLIST-unset}" >> "$STUB_DIR/calls"
[ "$(cat "$STUB_DIR/mode")" = db-down ] && { echo "could not connect to server" >&2; exit 1; }
case $2 in
  *FEDI_ADMIN_PASSWORD_FILE*)
    [ -e "$STUB_DIR/account" ] || exit ${NO_ACCOUNT_EXIT}
    cat "$FEDI_ADMIN_PASSWORD_FILE" > "$STUB_DIR/password-set" ;;
esac
exit 0
`;

let dir: string;
let script: string;
const options = MastodonOptions.parse({
  domain: "social.example.org",
  adminEmail: "admin@example.org",
  initialAdmin: { username: "alice", email: "alice@no-dns.example" },
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "mastodon-setup-"));
  await mkdir(join(dir, "pkg", "bin"), { recursive: true });
  await mkdir(join(dir, "state"));
  await writeFile(join(dir, "pkg", "bin", "tootctl"), TOOTCTL);
  await writeFile(join(dir, "pkg", "bin", "rails"), RAILS);
  await chmod(join(dir, "pkg", "bin", "tootctl"), 0o755);
  await chmod(join(dir, "pkg", "bin", "rails"), 0o755);
  await writeFile(join(dir, "password"), "the-secret-password\n");
  // The script's state paths moved into the scratch folder; nothing else of it changes.
  script = setupScript(options)
    .replace(SETUP_STATE.settings, join(dir, "state", "settings"))
    .replace(SETUP_STATE.initialAdmin, join(dir, "state", "initial-admin"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function runUnit(mode: string, extraEnv: Record<string, string> = {}) {
  await writeFile(join(dir, "mode"), mode);
  const env = {
    PATH: "/usr/bin:/bin",
    STUB_DIR: dir,
    FEDI_REGISTRATIONS_MODE: "none",
    FEDI_CONTACT_EMAIL: "admin@example.org",
    FEDI_SETTINGS_STAMP: "registrations=none;contact=admin@example.org",
    FEDI_ADMIN_USERNAME: "alice",
    FEDI_ADMIN_EMAIL: "alice@no-dns.example",
    FEDI_ADMIN_EMAIL_DOMAIN: "no-dns.example",
    FEDI_ADMIN_PASSWORD_FILE: join(dir, "password"),
    ...extraEnv,
  };
  try {
    const { stdout, stderr } = await run("/bin/bash", ["-c", script], { cwd: join(dir, "pkg"), env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const calls = async () =>
  existsSync(join(dir, "calls")) ? (await readFile(join(dir, "calls"), "utf8")).trimEnd().split("\n") : [];
const marker = () => existsSync(join(dir, "state", "initial-admin"));

describe("the Mastodon setup unit's script (bash, stub tootctl and rails)", () => {
  it("creates an owner whose e-mail domain has no DNS: the create command alone gets it on EMAIL_DOMAIN_ALLOWLIST", async () => {
    const r = await runUnit("no-dns");
    expect(r.code).toBe(0);
    const made = await calls();
    expect(made).toContain(
      "tootctl accounts create alice --email alice@no-dns.example --confirmed --approve --role Owner ALLOWLIST=no-dns.example",
    );
    // The rails runner calls see no allowlist (nor does the running instance: its sign-ups are not restricted).
    const rails = made.filter((c) => c.startsWith("rails "));
    expect(rails).toHaveLength(2);
    for (const c of rails) expect(c).toMatch(/ALLOWLIST=unset$/);
    expect(await readFile(join(dir, "password-set"), "utf8")).toBe("the-secret-password\n");
    expect(marker()).toBe(true);
    // tootctl's printed random password never reaches the journal.
    expect(r.stdout + r.stderr).not.toContain("0123456789abcdef");
  });

  it("is idempotent: a second start applies nothing and creates nobody", async () => {
    await runUnit("ok");
    const first = (await calls()).length;
    const r = await runUnit("ok");
    expect(r.code).toBe(0);
    expect((await calls()).length).toBe(first);
  });

  it("when creation fails, reports tootctl's words and succeeds without the marker, then retries on the next start", async () => {
    const r = await runUnit("invalid");
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("The initial owner alice could not be created; tootctl said:");
    expect(r.stderr).toContain("Email is unreachable");
    expect(marker()).toBe(false);
    expect(existsSync(join(dir, "password-set"))).toBe(false);
    // Fixed later (here: the stub now accepts): the next start creates the owner.
    const again = await runUnit("ok");
    expect(again.code).toBe(0);
    expect(marker()).toBe(true);
    expect((await calls()).filter((c) => c.startsWith("tootctl accounts create"))).toHaveLength(2);
  });

  it("an account that exists already only gets its password set", async () => {
    const r = await runUnit("taken");
    expect(r.code).toBe(0);
    expect(await readFile(join(dir, "password-set"), "utf8")).toBe("the-secret-password\n");
    expect(marker()).toBe(true);
    expect(r.stderr).not.toContain("could not be created");
  });

  it("fails (so systemd shows it) when Mastodon itself cannot run, e.g. the database is down", async () => {
    const r = await runUnit("db-down");
    expect(r.code).not.toBe(0);
    expect(marker()).toBe(false);
    expect(existsSync(join(dir, "state", "settings"))).toBe(false);
  });

  it("applies the site settings once per spec change", async () => {
    await runUnit("ok");
    const settingsCalls = async () => (await calls()).filter((c) => c.includes("Setting.registrations_mode")).length;
    expect(await settingsCalls()).toBe(1);
    await runUnit("ok");
    expect(await settingsCalls()).toBe(1);
    await runUnit("ok", {
      FEDI_REGISTRATIONS_MODE: "open",
      FEDI_SETTINGS_STAMP: "registrations=open;contact=admin@example.org",
    });
    expect(await settingsCalls()).toBe(2);
  });
});
