// staticModuleDefinitions lists what nix/fediversity-base.nix and nix/fediversity-secrets.nix define: the real files,
// evaluated by the real nix-instantiate with the module-system double (test/doubles/module-system.nix), define
// exactly those option paths (outside fediversity.*, which the SDK owns whole) for each kind of machine.
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type MachineBase, type PlannedSecretFile, staticModuleDefinitions } from "../../src/index.js";
import { nixEvalJson, printNix, toNix } from "../../src/nix/index.js";
import { requireNix } from "../../src/testing/index.js";

const HARNESS = resolve(import.meta.dirname, "../doubles/module-system.nix");
const REPO_NIX = resolve(import.meta.dirname, "../../../../nix");
const nixValue = (v: unknown) => printNix(toNix(v));

let hasNix = false;
beforeAll(async () => {
  hasNix = await requireNix();
});

/** Every defined leaf path (lists are leaves) outside `fediversity`, as the double merges the two modules. */
async function definedPaths(base: MachineBase, files: PlannedSecretFile[]): Promise<string[]> {
  const { boot, ...rest } = base;
  const settings = {
    base: { ...rest, boot },
    secrets: {
      files: Object.fromEntries(files.map((f) => [f.name, { owner: f.owner, neededBy: f.neededBy }])),
    },
  };
  // Leaves under a false mkIf are "used but not defined" in the double (NixOS leaves them out): skipped.
  const expr = `let
    config = import ${nixValue(HARNESS)} {
      modules = [ ${nixValue(join(REPO_NIX, "fediversity-base.nix"))} ${nixValue(join(REPO_NIX, "fediversity-secrets.nix"))} { fediversity = ${nixValue(settings)}; } ];
      pkgs = { coreutils = { outPath = "/nix/store/coreutils"; }; };
    };
    isSet = v: builtins.isAttrs v && !(v ? outPath);
    leaves = prefix: v: builtins.concatMap (n:
      let
        r = builtins.tryEval v.\${n};
        p = prefix ++ [ n ];
        leaf = builtins.tryEval (builtins.deepSeq r.value true);
      in
      if !r.success then [ ] else if isSet r.value then leaves p r.value
      else if leaf.success then [ (builtins.concatStringsSep "/" p) ] else [ ]
    ) (builtins.attrNames v);
  in leaves [ ] (removeAttrs config [ "fediversity" ])`;
  return ((await nixEvalJson(expr)) as string[]).sort();
}

const BASE: MachineBase = {
  hostName: "box",
  stateVersion: "25.05",
  sshPort: 22,
  deployUser: "root",
  authorizedKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAiszi43aOWWV7voNgQ1Ifa7LGKwGJfOuiLM1n42h2Y8 ops"],
  boot: { loader: "custom" },
};
const FILE: PlannedSecretFile = {
  name: "web-env",
  path: "/run/fediversity/secrets/web-env",
  content: { kind: "value", secret: "web.key" },
  owner: "web",
  mode: "0400",
  neededBy: ["web.service"],
  restartUnits: ["web.service"],
  rerunUnits: [],
  declaredBy: "web",
};

describe("staticModuleDefinitions", () => {
  it.each<[string, MachineBase, PlannedSecretFile[]]>([
    ["root, custom boot, no secrets", BASE, []],
    [
      "a deploy user, GRUB, a mail host name, a secret file",
      {
        ...BASE,
        deployUser: "deploy",
        boot: { loader: "grub", devices: ["/dev/vda"] },
        mail: { hostName: "mail.example.org" },
      },
      [FILE],
    ],
    [
      "systemd-boot",
      { ...BASE, boot: { loader: "systemd-boot", efiSysMountPoint: "/boot", canTouchEfiVariables: true } },
      [],
    ],
    [
      "grub-efi",
      { ...BASE, boot: { loader: "grub-efi", efiSysMountPoint: "/efi", canTouchEfiVariables: false } },
      [FILE],
    ],
  ])("match what the real files define: %s", async (_what, base, files) => {
    const listed = staticModuleDefinitions(base, files);
    expect(listed.filter((d) => d.path[0] === "fediversity")).toEqual([
      { path: ["fediversity"], kind: "subtree", by: "the SDK's own options (fediversity.*)" },
    ]);
    if (!hasNix) return;
    const defined = await definedPaths(base, files);
    const leaves = listed.filter((d) => d.kind !== "subtree").map((d) => d.path.join("/"));
    const subtrees = listed
      .filter((d) => d.kind === "subtree" && d.path[0] !== "fediversity")
      .map((d) => d.path.join("/"));
    // Every leaf the files define is listed (itself, or under a subtree) ...
    expect(defined.filter((p) => !leaves.includes(p) && !subtrees.some((s) => p.startsWith(`${s}/`)))).toEqual([]);
    // ... and everything listed is defined.
    expect(leaves.filter((p) => !defined.includes(p))).toEqual([]);
    for (const s of subtrees) expect(defined.some((p) => p.startsWith(`${s}/`))).toBe(true);
  });
});
