import { type CheckedModule, checkServicePlugin } from "@fediversity/core/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { peertube } from "../src/index.js";

const base = { domain: "tube.example.org", adminEmail: "admin@example.org" };
const full = {
  ...base,
  registrations: "approval",
  smtp: { mode: "relay", host: "smtp.example.org", user: "tube@example.org" },
  initialAdmin: { password: "import" },
  extraSettings: { signup: { limit: 100 }, instance: { name: "Tube" }, transcoding: { enabled: true, threads: 2 } },
};

let modules: Record<string, CheckedModule>;

beforeAll(async () => {
  const report = await checkServicePlugin(peertube, {
    valid: [
      { name: "minimal", options: base },
      { name: "full", options: full },
    ],
    invalid: [
      { name: "bad domain", options: { ...base, domain: "x" }, path: "domain" },
      { name: "relay without host", options: { ...base, smtp: { mode: "relay" } }, path: "smtp.host" },
      { name: "below the floor", options: { ...base, resources: { memoryMiB: 4096 } }, path: "resources.memoryMiB" },
      {
        name: "secret in extra settings",
        options: { ...base, extraSettings: { a: { secret_key: "x" } } },
        path: "extraSettings.a.secret_key",
      },
    ],
  });
  modules = Object.fromEntries(report.modules.map((m) => [m.name, m]));
});

const value = (name: string) => modules[name]!.value as any;

describe("PeerTube module (evaluated by the real Nix)", () => {
  it("serves PeerTube over HTTPS on 443 behind nginx with ACME, with local PostgreSQL and Redis", () => {
    const m = value("minimal");
    expect(m.services.peertube).toMatchObject({
      enable: true,
      localDomain: "tube.example.org",
      listenWeb: 443,
      enableWebHttps: true,
      configureNginx: true,
      database: { createLocally: true },
      redis: { createLocally: true },
    });
    expect(m.services.nginx.virtualHosts["tube.example.org"]).toMatchObject({ enableACME: true, forceSSL: true });
  });

  it("stores videos in the instance's buckets in virtual-host style, without ACLs", () => {
    const { context } = modules.minimal!;
    const s3 = context.s3!;
    const os = value("minimal").services.peertube.settings.object_storage;
    // The storage double's API endpoint is http://10.0.0.5:3900 with root s3.example.org: PeerTube gets the root
    // with the API's scheme and port (an http endpoint keeps its scheme: PeerTube would assume https).
    expect(s3.endpoint).toBe("http://10.0.0.5:3900");
    expect(os.endpoint).toBe(`http://${s3.virtualHostRoot}:3900`);
    expect(os.enabled).toBe(true);
    expect(os.region).toBe(s3.region);
    expect(os.upload_acl).toEqual({ public: null, private: null });
    expect(os.web_videos).toEqual({
      bucket_name: s3.buckets["web-videos"]!.name,
      prefix: "",
      base_url: s3.buckets["web-videos"]!.publicUrl,
    });
    expect(os.streaming_playlists).toEqual({
      bucket_name: s3.buckets["streaming-playlists"]!.name,
      prefix: "",
      base_url: s3.buckets["streaming-playlists"]!.publicUrl,
    });
    // PeerTube 7.1+ keeps captions in object storage too: without this section caption moves fail.
    expect(os.captions).toEqual({
      bucket_name: s3.buckets.captions!.name,
      prefix: "",
      base_url: s3.buckets.captions!.publicUrl,
    });
    // Private buckets: presigned download URLs are rewritten to a path of the instance's own HTTPS domain.
    expect(os.user_exports).toEqual({
      bucket_name: s3.buckets["user-exports"]!.name,
      prefix: "",
      base_url: "https://tube.example.org/fediversity-s3/user-exports",
    });
    expect(os.original_video_files).toEqual({
      bucket_name: s3.buckets["original-video-files"]!.name,
      prefix: "",
      base_url: "https://tube.example.org/fediversity-s3/original-video-files",
    });
    const sections = Object.keys(os).filter((k) => typeof os[k] === "object" && os[k] && "bucket_name" in os[k]);
    expect(sections.sort()).toEqual([
      "captions",
      "original_video_files",
      "streaming_playlists",
      "user_exports",
      "web_videos",
    ]);
  });

  it("proxies the private buckets' presigned URLs to the S3 API with the Host PeerTube signed", () => {
    const { context } = modules.minimal!;
    const s3 = context.s3!;
    const locations = value("minimal").services.nginx.virtualHosts["tube.example.org"].locations;
    expect(Object.keys(locations).sort()).toEqual([
      "^~ /fediversity-s3/original-video-files/",
      "^~ /fediversity-s3/user-exports/",
    ]);
    const exports = locations["^~ /fediversity-s3/user-exports/"];
    expect(exports.proxyPass).toBe("http://10.0.0.5:3900/");
    expect(exports.recommendedProxySettings).toBe(false);
    expect(exports.extraConfig).toContain(
      `proxy_set_header Host ${s3.buckets["user-exports"]!.name}.s3.example.org:3900;`,
    );
  });

  it("resolves every bucket host to the S3 API's address in /etc/hosts (no DNS, no extra firewall port)", () => {
    const { context } = modules.minimal!;
    const names = Object.values(context.s3!.buckets)
      .map((b) => `${b.name}.s3.example.org`)
      .sort();
    expect(value("minimal").networking.hosts).toEqual({ "10.0.0.5": names });
    expect(names).toHaveLength(5);
  });

  it("passes secrets as file paths: secretsFile, the service environment file, the SMTP password", () => {
    const { context } = modules.full!;
    const p = value("full").services.peertube;
    expect(p.secrets.secretsFile).toBe(context.secretPath("peertube-secret"));
    expect(p.serviceEnvironmentFile).toBe(context.secretPath("env"));
    expect(p.smtp).toEqual({ createLocally: false, passwordFile: context.secretPath("smtp-password") });
    expect(p.settings.smtp.password).toBeUndefined();
    expect(p.settings.object_storage.credentials).toBeUndefined();
    expect(value("minimal").services.peertube.smtp).toEqual({ createLocally: true });
  });

  it("sets mail, admin e-mail, registrations and merges extra settings", () => {
    const s = value("full").services.peertube.settings;
    expect(s.smtp).toEqual({
      transport: "smtp",
      hostname: "smtp.example.org",
      port: 587,
      username: "tube@example.org",
      tls: false,
      disable_starttls: false,
      from_address: "notifications@tube.example.org",
    });
    expect(s.admin).toEqual({ email: "admin@example.org" });
    expect(s.signup).toEqual({ limit: 100, enabled: true, requires_approval: true });
    expect(s.instance).toEqual({ name: "Tube" });
    expect(s.transcoding).toEqual({ enabled: true, threads: 2 });
    expect(value("minimal").services.peertube.settings.signup).toEqual({ enabled: false, requires_approval: false });
    expect(value("minimal").services.peertube.settings.smtp).toMatchObject({
      hostname: "127.0.0.1",
      port: 25,
      tls: false,
    });
  });

  it("holds no credential-shaped string anywhere in the module", () => {
    for (const m of Object.values(modules))
      expect(m.text).not.toMatch(/GK[0-9a-f]{24}|\b[0-9a-f]{64}\b|AKIA[0-9A-Z]{16}/);
  });
});
