import { createPlanFromUnknown, createRegistry, isFediError, type Plan } from "@fediversity/core";
import { nixParse } from "@fediversity/core/nix";
import { describe, expect, it } from "vitest";
import { specWith, storageDouble } from "../../core/test/fixtures/storage-double.js";
import { peertube } from "../src/index.js";

const registry = createRegistry([storageDouble, peertube]);
const options = { domain: "tube.example.org", adminEmail: "admin@example.org", initialAdmin: {} };

function plan(opts: unknown = options, storage?: Record<string, unknown>): Plan {
  return createPlanFromUnknown({
    spec: specWith([{ name: "tube", kind: "peertube", options: opts }], storage),
    registry,
  });
}

describe("PeerTube in a plan", () => {
  it("gets public video buckets (virtual-host style, CORS) and private export/original buckets", () => {
    const buckets = plan().buckets.map((b) => ({
      name: b.name,
      public: b.public,
      virtualHost: b.virtualHost,
      cors: b.cors !== undefined,
    }));
    expect(buckets).toEqual([
      { name: "demo-tube-captions", public: true, virtualHost: true, cors: true },
      { name: "demo-tube-original-video-files", public: false, virtualHost: true, cors: false },
      { name: "demo-tube-streaming-playlists", public: true, virtualHost: true, cors: true },
      { name: "demo-tube-user-exports", public: false, virtualHost: true, cors: false },
      { name: "demo-tube-web-videos", public: true, virtualHost: true, cors: true },
    ]);
  });

  it("installs PeerTube's secret for the peertube user and the environment file (keys, root password) for systemd", () => {
    const p = plan();
    const files = new Map(p.machines[0]!.secretFiles.map((f) => [f.name, f]));
    expect(files.get("tube-peertube-secret")).toMatchObject({
      owner: "peertube",
      content: { kind: "value", secret: "tube.peertube-secret" },
      neededBy: ["peertube.service"],
    });
    expect(files.get("tube-env")).toMatchObject({ owner: "root", neededBy: ["peertube.service"] });
    // every file is read by peertube.service when it starts (script `cat`, EnvironmentFile=): it restarts on a change
    for (const f of files.values()) expect(f).toMatchObject({ restartUnits: ["peertube.service"], rerunUnits: [] });
    expect(files.get("tube-env")!.content).toEqual({
      kind: "env",
      entries: {
        AWS_ACCESS_KEY_ID: { secret: "tube.s3-access-key-id" },
        AWS_SECRET_ACCESS_KEY: { secret: "tube.s3-secret-key" },
        PT_INITIAL_ROOT_PASSWORD: { secret: "tube.admin-password" },
      },
    });
    const generate = new Map(p.secrets.map((s) => [s.name, s.generate]));
    expect(generate.get("tube.peertube-secret")).toEqual({ kind: "random-hex", bytes: 32 });
    expect(generate.get("tube.admin-password")).toEqual({ kind: "random-alnum", length: 24 });
  });

  it("renders a machine module the real Nix parses, with 80/443 open and health checks", async () => {
    const p = plan();
    expect(p.machines[0]!.tcpPorts).toEqual([80, 443]);
    expect(p.machines[0]!.nixosModule).toContain('endpoint = "http://s3.example.org:3900"');
    // All in one: the storage node is this machine, so the bucket hosts resolve to loopback (no DNS, no open port).
    expect(p.machines[0]!.nixosModule).toMatch(/"127\.0\.0\.1" = \[[^\]]*"demo-tube-captions\.s3\.example\.org"/);
    expect(p.machines[0]!.nixosModule).toContain('proxyPass = "http://127.0.0.1:3900/"');
    await nixParse(p.machines[0]!.nixosModule);
    expect(p.instances[0]!.checks).toContainEqual({
      kind: "http",
      url: "https://tube.example.org/api/v1/config",
      expectStatus: [200],
      viaMachine: true,
    });
  });

  it("fails with SPEC_INVALID at storage.options when the storage has no virtual-host root domain", () => {
    let error: unknown;
    try {
      plan(options, { webRootDomain: "web.example.org" });
    } catch (e) {
      error = e;
    }
    expect(isFediError(error) && error.code).toBe("SPEC_INVALID");
    expect(isFediError(error) && error.issues.map((i) => i.path)).toEqual(["storage.options"]);
    expect(isFediError(error) && error.hint).toMatch(/s3RootDomain/);
  });
});
