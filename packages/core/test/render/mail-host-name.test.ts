// One Postfix host name per machine. With local mail, nixpkgs' service modules each set Postfix's `myhostname` to
// their own domain with `mkDefault`:
//   nixos/modules/services/web-apps/mastodon.nix (lines 1271-1274, nixos-unstable 2026):
//     services.postfix = lib.mkIf (cfg.smtp.createLocally && cfg.smtp.host == "127.0.0.1") {
//       enable = true; settings.main.myhostname = lib.mkDefault "${cfg.localDomain}"; };
//   nixos/modules/services/web-apps/peertube.nix (lines 826-829): the same under `cfg.smtp.createLocally`.
// Two services on one machine give two values at one priority: "conflicting definition values". The generated machine
// module gives `fediversity.base.mail.hostName` and nix/fediversity-base.nix turns it into a plain definition, which
// wins. Evaluated by the real nix-instantiate with the module-system double (test/doubles/module-system.nix), the
// stand-ins below reproducing those two upstream definitions.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  type createPlan,
  createPlanFromUnknown,
  createRegistry,
  defineService,
  deploymentFiles,
  writeDeploymentDir,
} from "../../src/index.js";
import { nixEvalJson, printNix, toNix } from "../../src/nix/index.js";
import { requireNix } from "../../src/testing/index.js";
import { machine, testPlugins } from "../fixtures/plugins.js";

const HARNESS = resolve(import.meta.dirname, "../doubles/module-system.nix");
const nixString = (s: string) => printNix(toNix(s));

/**
 * A service that sends mail through the machine's Postfix when `mail` is `local` (as the real plugins declare it).
 * The planner runs one instance of a kind per machine (nixpkgs modules have fixed names), so there are two kinds, as
 * Mastodon and PeerTube are two.
 */
const mailer = (kind: string) =>
  defineService({
    kind,
    apiVersion: 1,
    options: z.object({ domain: z.string(), mail: z.enum(["local", "relay"]).default("local") }).strict(),
    requirements: (o) => ({
      cpus: 1,
      memoryMiB: 256,
      diskGiB: 1,
      domains: [o.domain],
      ...(o.mail === "local" ? { localMailDomain: o.domain } : {}),
    }),
    nixos: (_ctx, o) => ({ services: { [kind]: { enable: true, domain: o.domain } } }),
    checks: () => [],
  });
const registry = createRegistry([...testPlugins, mailer("mailer-a"), mailer("mailer-b")]);

/** What nixpkgs' mastodon.nix / peertube.nix define for Postfix with local mail (see the header). */
const upstreamPostfix = (domain: string) =>
  `({ lib, ... }: { services.postfix = { enable = true; settings.main.myhostname = lib.mkDefault ${nixString(domain)}; }; })`;

let hasNix = false;
let dir: string;
beforeAll(async () => {
  hasNix = await requireNix();
  dir = await mkdtemp(join(tmpdir(), "fedi-mail-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Spec = Parameters<typeof createPlan>[0]["spec"];

async function planned(spec: Spec) {
  const out = await mkdtemp(join(dir, "deploy-"));
  const plan = createPlanFromUnknown({ spec, registry });
  await writeDeploymentDir(out, deploymentFiles(plan));
  return { plan, file: (m: string) => nixString(join(out, `machines/${m}.nix`)) };
}

const evaluate = (modules: string[], select: string) =>
  nixEvalJson(
    `let c = import ${nixString(HARNESS)} { modules = [ ${modules.join(" ")} ]; pkgs = { coreutils = { outPath = "/nix/store/coreutils"; }; }; }; in (${select}) c`,
  );

/** Instances `[name, domain, mail, machine]`, alternately of the two kinds. */
const instances = (...list: Array<[string, string, ("local" | "relay")?, string?]>) =>
  list.map(([name, domain, mail, pin], i) => ({
    name,
    kind: i % 2 === 0 ? "mailer-a" : "mailer-b",
    options: { domain, ...(mail ? { mail } : {}) },
    ...(pin ? { machine: pin } : {}),
  }));

describe("one Postfix host name per machine", () => {
  it("the stand-ins reproduce the upstream conflict when nothing resolves it", async (ctx) => {
    if (!hasNix) ctx.skip();
    await expect(
      evaluate(
        [upstreamPostfix("social.example.org"), upstreamPostfix("videos.example.org")],
        "c: c.services.postfix.settings.main.myhostname",
      ),
    ).rejects.toThrow(/conflicting definitions/);
  });

  it("two local-mail services on one machine: the first instance's domain (spec order) wins over both mkDefaults", async (ctx) => {
    const { plan, file } = await planned({
      name: "prod",
      machines: [machine("box", "10.0.0.1")],
      storage: { kind: "toystore" },
      services: instances(["zeta", "z.example.org"], ["alpha", "a.example.org"]),
    });
    expect(plan.machines[0]!.base.mail).toEqual({ hostName: "z.example.org" });
    if (!hasNix) ctx.skip();
    const v = await evaluate(
      [file("box"), upstreamPostfix("z.example.org"), upstreamPostfix("a.example.org")],
      "c: { host = c.services.postfix.settings.main.myhostname; option = c.fediversity.base.mail.hostName; }",
    );
    expect(v).toEqual({ host: "z.example.org", option: "z.example.org" });
  });

  it("machines[].mail.hostName is the one name when given", async (ctx) => {
    const { plan, file } = await planned({
      name: "prod",
      machines: [machine("box", "10.0.0.1", { mail: { hostName: "mail.example.org" } })],
      storage: { kind: "toystore" },
      services: instances(["zeta", "z.example.org"], ["alpha", "a.example.org"]),
    });
    expect(plan.machines[0]!.base.mail).toEqual({ hostName: "mail.example.org" });
    if (!hasNix) ctx.skip();
    const v = await evaluate(
      [file("box"), upstreamPostfix("z.example.org"), upstreamPostfix("a.example.org")],
      "c: c.services.postfix.settings.main.myhostname",
    );
    expect(v).toBe("mail.example.org");
  });

  it("each machine gets the domain of its own first local-mail instance; relay-only machines get nothing", async (ctx) => {
    const { plan, file } = await planned({
      name: "prod",
      machines: [machine("one", "10.0.0.1"), machine("two", "10.0.0.2"), machine("three", "10.0.0.3")],
      storage: { kind: "toystore", options: { separate: false } },
      services: instances(
        ["a", "a.example.org", "relay", "one"],
        ["b", "b.example.org", "local", "one"],
        ["c", "c.example.org", "local", "two"],
        ["d", "d.example.org", "relay", "three"],
      ),
    });
    const mailOf = (m: string) => plan.machines.find((x) => x.name === m)!.base.mail;
    expect([mailOf("one"), mailOf("two"), mailOf("three")]).toEqual([
      { hostName: "b.example.org" },
      { hostName: "c.example.org" },
      undefined,
    ]);
    expect(plan.machines.find((x) => x.name === "three")!.nixosModule).not.toMatch(/mail = |hostName = "d/);
    if (!hasNix) ctx.skip();
    // A definition under a false mkIf is "used but not defined" in the double (NixOS leaves it undefined): null here.
    const select = `c: {
      option = c.fediversity.base.mail.hostName;
      postfix = let r = builtins.tryEval (c.services.postfix.settings.main.myhostname or null); in if r.success then r.value else null;
    }`;
    expect(await evaluate([file("three")], select)).toEqual({ option: null, postfix: null });
    expect(await evaluate([file("two")], select)).toEqual({ option: "c.example.org", postfix: "c.example.org" });
  });

  it("a malformed mail host name is refused with its spec path; the Nix option is typed too", async (ctx) => {
    let error: unknown;
    try {
      createPlanFromUnknown({
        spec: {
          name: "prod",
          machines: [machine("box", "10.0.0.1", { mail: { hostName: 'x"; }; evil = "' } })],
          storage: { kind: "toystore" },
        },
        registry,
      });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: "SPEC_INVALID", issues: [{ path: "machines[0].mail.hostName" }] });
    if (!hasNix) ctx.skip();
    await expect(
      evaluate(
        [
          nixString(resolve(import.meta.dirname, "../../../../nix/fediversity-base.nix")),
          `{ fediversity.base = { hostName = "a"; stateVersion = "25.05"; mail.hostName = "Not A Name"; }; }`,
        ],
        "c: c.services.postfix.settings.main.myhostname",
      ),
    ).rejects.toThrow(/fediversity\.base\.mail\.hostName' is not of type/);
  });
});
