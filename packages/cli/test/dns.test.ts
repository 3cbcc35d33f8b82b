// `fedi dns` through the built binary: the records of every example against hand-checked lists, the zone-file
// fragment, the JSON against its schema, `fedi dns check` against a real DNS server on loopback serving that
// fragment, the DNS section of `fedi plan`, and a service domain that collides with a bucket host.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DnsServerFixture, startDnsServer } from "../../core/test/fixtures/dns-server.js";
import { EXAMPLES, fedi, tempDir } from "./support/fedi.js";
import { machine } from "./support/plugins.js";
import { schemaErrors, validateDnsCheckOutput, validateDnsOutput } from "./support/schema.js";

/** `name TYPE value machine` of each record, checked by hand against each example's config and `fedi plan`. */
const EXPECTED: Record<string, string[]> = {
  // One machine: everything points at it.
  "all-in-one": [
    "*.s3.example.org A 203.0.113.10 fedi01",
    "demo-photos-media.media.example.org A 203.0.113.10 fedi01",
    "demo-social-media.media.example.org A 203.0.113.10 fedi01",
    "demo-videos-captions.media.example.org A 203.0.113.10 fedi01",
    "demo-videos-streaming-playlists.media.example.org A 203.0.113.10 fedi01",
    "demo-videos-web-videos.media.example.org A 203.0.113.10 fedi01",
    "photos.example.org A 203.0.113.10 fedi01",
    "social.example.org A 203.0.113.10 fedi01",
    "videos.example.org A 203.0.113.10 fedi01",
  ],
  // Public buckets on the web node (first storage node, garage-a), the S3 wildcard on all three nodes, each service
  // domain on its machine (app1 PeerTube, app2 Pixelfed, app3 Mastodon: the largest first, by machine name).
  "separate-storage": [
    "*.s3.example.org A 198.51.100.11 garage-a",
    "*.s3.example.org A 198.51.100.12 garage-b",
    "*.s3.example.org A 198.51.100.13 garage-c",
    "photos.example.org A 203.0.113.22 app2",
    "separate-photos-media.media.example.org A 198.51.100.11 garage-a",
    "separate-social-media.media.example.org A 198.51.100.11 garage-a",
    "separate-videos-captions.media.example.org A 198.51.100.11 garage-a",
    "separate-videos-streaming-playlists.media.example.org A 198.51.100.11 garage-a",
    "separate-videos-web-videos.media.example.org A 198.51.100.11 garage-a",
    "social.example.org A 203.0.113.23 app3",
    "videos.example.org A 203.0.113.21 app1",
  ],
  // 26 service domains on their machines, 42 public buckets (10 Mastodon, 8 Pixelfed, 3 for each of 8 PeerTubes) on
  // the web node store-11, and the S3 wildcard on the six storage nodes.
  "hosting-provider": [
    "*.s3.example.org A 192.0.2.10 store-31",
    "*.s3.example.org A 192.0.2.11 store-32",
    "*.s3.example.org A 198.51.100.10 store-11",
    "*.s3.example.org A 198.51.100.11 store-12",
    "*.s3.example.org A 203.0.113.10 store-21",
    "*.s3.example.org A 203.0.113.11 store-22",
    "photos.artists-collective.example.org A 203.0.113.104 svc-205",
    "photos.city-library.example.org A 192.0.2.100 svc-301",
    "photos.film-school.example.org A 192.0.2.103 svc-304",
    "photos.food-coop.example.org A 192.0.2.104 svc-305",
    "photos.hiking-club.example.org A 203.0.113.105 svc-206",
    "photos.makers-guild.example.org A 192.0.2.101 svc-302",
    "photos.photo-club.example.org A 192.0.2.102 svc-303",
    "photos.student-union.example.org A 192.0.2.105 svc-306",
    "provider-artists-collective-photos-media.media.example.org A 198.51.100.10 store-11",
    "provider-artists-collective-social-media.media.example.org A 198.51.100.10 store-11",
    "provider-city-library-photos-media.media.example.org A 198.51.100.10 store-11",
    "provider-city-library-social-media.media.example.org A 198.51.100.10 store-11",
    "provider-city-library-videos-captions.media.example.org A 198.51.100.10 store-11",
    "provider-city-library-videos-streaming-playlists.media.example.org A 198.51.100.10 store-11",
    "provider-city-library-videos-web-videos.media.example.org A 198.51.100.10 store-11",
    "provider-climate-lab-social-media.media.example.org A 198.51.100.10 store-11",
    "provider-climate-lab-videos-captions.media.example.org A 198.51.100.10 store-11",
    "provider-climate-lab-videos-streaming-playlists.media.example.org A 198.51.100.10 store-11",
    "provider-climate-lab-videos-web-videos.media.example.org A 198.51.100.10 store-11",
    "provider-cycling-union-social-media.media.example.org A 198.51.100.10 store-11",
    "provider-film-school-photos-media.media.example.org A 198.51.100.10 store-11",
    "provider-film-school-videos-captions.media.example.org A 198.51.100.10 store-11",
    "provider-film-school-videos-streaming-playlists.media.example.org A 198.51.100.10 store-11",
    "provider-film-school-videos-web-videos.media.example.org A 198.51.100.10 store-11",
    "provider-food-coop-photos-media.media.example.org A 198.51.100.10 store-11",
    "provider-food-coop-social-media.media.example.org A 198.51.100.10 store-11",
    "provider-hiking-club-photos-media.media.example.org A 198.51.100.10 store-11",
    "provider-local-council-social-media.media.example.org A 198.51.100.10 store-11",
    "provider-local-council-videos-captions.media.example.org A 198.51.100.10 store-11",
    "provider-local-council-videos-streaming-playlists.media.example.org A 198.51.100.10 store-11",
    "provider-local-council-videos-web-videos.media.example.org A 198.51.100.10 store-11",
    "provider-makers-guild-photos-media.media.example.org A 198.51.100.10 store-11",
    "provider-makers-guild-social-media.media.example.org A 198.51.100.10 store-11",
    "provider-music-archive-videos-captions.media.example.org A 198.51.100.10 store-11",
    "provider-music-archive-videos-streaming-playlists.media.example.org A 198.51.100.10 store-11",
    "provider-music-archive-videos-web-videos.media.example.org A 198.51.100.10 store-11",
    "provider-open-science-social-media.media.example.org A 198.51.100.10 store-11",
    "provider-open-science-videos-captions.media.example.org A 198.51.100.10 store-11",
    "provider-open-science-videos-streaming-playlists.media.example.org A 198.51.100.10 store-11",
    "provider-open-science-videos-web-videos.media.example.org A 198.51.100.10 store-11",
    "provider-photo-club-photos-media.media.example.org A 198.51.100.10 store-11",
    "provider-river-news-social-media.media.example.org A 198.51.100.10 store-11",
    "provider-river-news-videos-captions.media.example.org A 198.51.100.10 store-11",
    "provider-river-news-videos-streaming-playlists.media.example.org A 198.51.100.10 store-11",
    "provider-river-news-videos-web-videos.media.example.org A 198.51.100.10 store-11",
    "provider-student-union-photos-media.media.example.org A 198.51.100.10 store-11",
    "provider-student-union-social-media.media.example.org A 198.51.100.10 store-11",
    "provider-student-union-videos-captions.media.example.org A 198.51.100.10 store-11",
    "provider-student-union-videos-streaming-playlists.media.example.org A 198.51.100.10 store-11",
    "provider-student-union-videos-web-videos.media.example.org A 198.51.100.10 store-11",
    "social.artists-collective.example.org A 203.0.113.105 svc-206",
    "social.city-library.example.org A 198.51.100.100 svc-101",
    "social.climate-lab.example.org A 192.0.2.101 svc-302",
    "social.cycling-union.example.org A 192.0.2.102 svc-303",
    "social.food-coop.example.org A 192.0.2.105 svc-306",
    "social.local-council.example.org A 203.0.113.104 svc-205",
    "social.makers-guild.example.org A 192.0.2.100 svc-301",
    "social.open-science.example.org A 192.0.2.103 svc-304",
    "social.river-news.example.org A 192.0.2.104 svc-305",
    "social.student-union.example.org A 198.51.100.103 svc-104",
    "videos.city-library.example.org A 198.51.100.104 svc-105",
    "videos.climate-lab.example.org A 198.51.100.105 svc-106",
    "videos.film-school.example.org A 198.51.100.101 svc-102",
    "videos.local-council.example.org A 203.0.113.100 svc-201",
    "videos.music-archive.example.org A 203.0.113.101 svc-202",
    "videos.open-science.example.org A 203.0.113.102 svc-203",
    "videos.river-news.example.org A 198.51.100.102 svc-103",
    "videos.student-union.example.org A 203.0.113.103 svc-204",
  ],
};

let tmp: string;
let removeTmp: () => Promise<void>;
let dns: DnsServerFixture;
beforeAll(async () => {
  ({ dir: tmp, remove: removeTmp } = await tempDir());
  dns = await startDnsServer();
});
afterAll(async () => {
  await dns?.close();
  await removeTmp?.();
});

const configOf = (example: string) => join(EXAMPLES, example, "fedi.config.ts");

describe.each(Object.keys(EXPECTED))("fedi dns on examples/%s", (example) => {
  it("prints JSON that matches its schema, with the hand-checked records", async () => {
    const run = await fedi(["dns", "--json", "--config", configOf(example), "--state", join(tmp, example)]);
    expect(run.stderr).not.toMatch(/^error /m);
    expect(run.exitCode).toBe(0);
    const output = JSON.parse(run.stdout);
    expect(validateDnsOutput(output), schemaErrors(validateDnsOutput)).toBe(true);
    const records = output.records as Array<{ name: string; type: string; value: string; machine: string }>;
    expect(records.map((r) => `${r.name} ${r.type} ${r.value} ${r.machine}`)).toEqual(EXPECTED[example]);
    expect(output.ttl).toBe(300);
  });
});

describe("fedi dns on the all-in-one example", () => {
  const config = configOf("all-in-one");
  const state = () => join(tmp, "aio-state");

  it("prints a zone-file fragment: absolute names, the TTL, class IN, a comment per record", async () => {
    const run = await fedi(["dns", "--config", config, "--state", state(), "--ttl", "3600"]);
    expect(run.exitCode).toBe(0);
    const records = run.stdout.split("\n").filter((l) => l !== "" && !l.startsWith(";"));
    expect(records).toHaveLength(9);
    expect(records[0]).toBe("*.s3.example.org.\t3600\tIN\tA\t203.0.113.10");
    expect(records).toContain("social.example.org.\t3600\tIN\tA\t203.0.113.10");
    expect(run.stdout).toMatch(/^; domain of social \(mastodon\); needed by social$/m);
    expect(run.stdout).toMatch(/^; virtual-host S3 buckets .*; needed by videos$/m);
  });

  it("fedi dns check: exit 0 when a DNS server serves the fragment, 1 with what is missing or points elsewhere", async () => {
    const zone = await fedi(["dns", "--config", config, "--state", state()]);
    dns.load(zone.stdout);
    const good = await fedi(["dns", "check", "--config", config, "--state", state(), "--server", dns.address]);
    expect(good.stderr).not.toMatch(/^error /m);
    expect(good.stdout).toMatch(/All 9 record sets resolve as planned\./);
    expect(good.exitCode).toBe(0);

    dns.load(
      zone.stdout
        .split("\n")
        .filter((l) => !l.startsWith("photos.example.org."))
        .map((l) => (l.startsWith("social.example.org.") ? l.replace("203.0.113.10", "198.51.100.7") : l)),
    );
    const bad = await fedi(["dns", "check", "--config", config, "--state", state(), "--server", dns.address]);
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout).toMatch(
      /^ {2}missing +photos\.example\.org +A +the name does not exist: add A 203\.0\.113\.10$/m,
    );
    expect(bad.stdout).toMatch(/^ {2}elsewhere +social\.example\.org +A +points at 198\.51\.100\.7/m);
    expect(bad.stdout).toMatch(/2 of 9 record sets do not resolve as planned/);

    const json = await fedi([
      "dns",
      "check",
      "--json",
      "--config",
      config,
      "--state",
      state(),
      "--server",
      dns.address,
    ]);
    expect(json.exitCode).toBe(1);
    const output = JSON.parse(json.stdout);
    expect(validateDnsCheckOutput(output), schemaErrors(validateDnsCheckOutput)).toBe(true);
    expect(output.ok).toBe(false);
    expect(output.servers).toEqual([dns.address]);
    expect(
      output.results.filter((r: { status: string }) => r.status !== "ok").map((r: { name: string }) => r.name),
    ).toEqual(["photos.example.org", "social.example.org"]);
  });

  it("fedi plan lists the records", async () => {
    const run = await fedi(["plan", "--config", config, "--state", state(), "--out", join(tmp, "aio-out")]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^DNS records .*fedi dns check/m);
    expect(run.stdout).toMatch(
      /^ {2}demo-social-media\.media\.example\.org +A +203\.0\.113\.10 +→ fedi01 +for social$/m,
    );
  });

  it.each([
    [["dns", "frob"], /Unknown dns action 'frob'/],
    [["dns", "--ttl", "5m"], /--ttl must be a whole number of seconds/],
    [["dns", "--server", "127.0.0.1"], /--server is used by `fedi dns check` only/],
  ])("usage errors: fedi %j", async (args, message) => {
    const run = await fedi([...args, "--config", config, "--state", state()]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});

describe("a service domain that collides with a storage name", () => {
  it("is refused at plan time, naming the service's field and the storage's", async () => {
    const { dir, remove } = await tempDir();
    try {
      await writeFile(
        join(dir, "fedi.config.json"),
        JSON.stringify({
          name: "demo",
          acme: { email: "admin@example.org", staging: true },
          machines: [machine("fedi01", "203.0.113.10", { resources: { cpus: 8, memoryMiB: 32768, diskGiB: 500 } })],
          storage: { kind: "garage", options: { replicationFactor: 1, webRootDomain: "media.example.org" } },
          services: [
            {
              name: "social",
              kind: "mastodon",
              options: { domain: "social.example.org", adminEmail: "admin@example.org" },
            },
            {
              name: "photos",
              kind: "pixelfed",
              options: { domain: "demo-social-media.media.example.org", adminEmail: "admin@example.org" },
            },
          ],
        }),
      );
      const run = await fedi(["dns", "--config", dir]);
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toMatch(
        /^error ALLOCATION_CONFLICT: A service domain collides with names the storage serves\./m,
      );
      expect(run.stderr).toMatch(
        /^ {2}- services\[1\]\.options\.domain: domain 'demo-social-media\.media\.example\.org' of 'photos' is also the name of public bucket demo-social-media .*storage\.options\.webRootDomain/m,
      );
    } finally {
      await remove();
    }
  });
});
