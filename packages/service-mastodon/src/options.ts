import {
  adminUserSchema,
  DomainName,
  EmailAddress,
  extraSettingsSchema,
  type ResolvedResources,
  reservedKeys,
  resourcesSchema,
  SmtpOptions,
  type SmtpOptionsInput,
} from "@fediversity/core";
import { z } from "zod";
import { mastodonEnvProblem } from "./environment.js";

/** Mastodon's memory floor: the Fediversity VM tests needed 4 GiB. */
export const MASTODON_FLOOR = { memoryMiB: 4096, cpus: 1, diskGiB: 10 } as const;

/** What an instance asks for when `resources` gives nothing. */
export const MASTODON_DEFAULT_RESOURCES = { memoryMiB: 4096, cpus: 2, diskGiB: 20 } as const;

/** A Mastodon user name: letters, digits and `_`, with `.` and `-` inside; at most 30 characters. */
const MastodonUsername = z
  .string()
  .regex(
    /^(?=.{1,30}$)[a-z0-9_]+([a-z0-9_.-]+[a-z0-9_]+)?$/,
    "must be 1-30 of a-z, 0-9 and '_' ('.' and '-' only inside)",
  )
  .describe("1-30 of a-z, 0-9 and '_' ('.' and '-' only inside)");

/** Environment variables the module or this plugin set; `extraSettings` may not touch them. */
const RESERVED_NAMES = [
  "LOCAL_DOMAIN",
  "WEB_DOMAIN",
  "ALTERNATE_DOMAINS",
  "RAILS_ENV",
  "NODE_ENV",
  "TRUSTED_PROXY_IP",
  "BIND",
  "PORT",
  "SOCKET",
  "LD_PRELOAD",
  "BOOTSNAP_CACHE_DIR",
  "WEB_CONCURRENCY",
  "MAX_THREADS",
  "SMTP_SERVER",
  "SMTP_PORT",
  "SMTP_LOGIN",
  "SMTP_FROM_ADDRESS",
  "SMTP_ENABLE_STARTTLS",
  "SMTP_ENABLE_STARTTLS_AUTO",
  "SMTP_TLS",
  "SMTP_SSL",
];
const RESERVED_PREFIXES = ["S3_", "AWS_", "DB_", "REDIS_", "ES_", "PAPERCLIP_", "VAPID_", "ACTIVE_RECORD_ENCRYPTION_"];

const MastodonOptionsSchema = z
  .object({
    /** Domain of the instance, e.g. `social.example.org`. */
    domain: DomainName.describe("Domain of the instance, e.g. `social.example.org`."),
    /** Contact e-mail of the instance's administrators. */
    adminEmail: EmailAddress.describe("Contact e-mail of the instance's administrators (shown on the about page)."),
    /** Outgoing mail. Default `{ mode: "local" }`. */
    smtp: SmtpOptions.prefault({ mode: "local" }).describe('Outgoing mail. Default `{ mode: "local" }`.'),
    /** Who may sign up: `closed` (default), `approval` (staff approve each sign-up) or `open`. */
    registrations: z
      .enum(["closed", "approval", "open"])
      .default("closed")
      .describe("Who may sign up: `closed` (default), `approval` (staff approve each sign-up) or `open`."),
    /** Owner account created on first start. */
    initialAdmin: adminUserSchema({
      username: MastodonUsername,
      reservedUsernames: ["admin", "administrator", "root", "support", "help", "webmaster", "mod", "moderator"],
    })
      .optional()
      .describe("Owner account created on first start, with a generated or imported password."),
    /** Resource overrides. */
    resources: resourcesSchema({
      service: "Mastodon",
      floor: MASTODON_FLOOR,
      defaults: MASTODON_DEFAULT_RESOURCES,
    }).describe("Resource overrides: memory, CPU and disk the planner reserves for the instance."),
    /** Extra environment variables for every Mastodon process (they land in the Nix store: no secrets). */
    extraSettings: extraSettingsSchema({
      shape: "flat",
      keyPattern: /^[A-Z][A-Z0-9_]*$/,
      keyMessage: "must be an environment variable name (A-Z, 0-9 and '_', starting with a letter)",
      reserved: reservedKeys({
        names: RESERVED_NAMES,
        namePrefixes: RESERVED_PREFIXES,
        reason:
          "is set by the Mastodon plugin (domain, database, Redis, mail, S3 or secrets); use the plugin's options",
      }),
    })
      .default({})
      .describe(
        "Extra environment variables for every Mastodon process (`services.mastodon.extraConfig`; they land in the " +
          "Nix store: no secrets). Names: A-Z, 0-9 and '_', starting with a letter. Set by the plugin, so refused: " +
          `${RESERVED_NAMES.join(", ")} and names starting with ${RESERVED_PREFIXES.join(", ")}.`,
      ),
  })
  .strict()
  .superRefine((options, ctx) => {
    // Values that reach Mastodon's environment (see environment.ts): refused where the user wrote them.
    const reach: Array<[Array<string>, unknown]> = Object.entries(options.extraSettings).map(([k, v]) => [
      ["extraSettings", k],
      v,
    ]);
    if (options.smtp.from !== undefined) reach.push([["smtp", "from"], options.smtp.from]);
    if (options.smtp.mode === "relay") {
      reach.push([["smtp", "host"], options.smtp.host]);
      if (options.smtp.user !== undefined) reach.push([["smtp", "user"], options.smtp.user]);
    }
    for (const [path, value] of reach) {
      const problem = mastodonEnvProblem(String(value));
      if (problem !== undefined) ctx.addIssue({ code: "custom", path, message: problem });
    }
  })
  .describe("Options of a Mastodon instance.");

/**
 * Options of a Mastodon instance.
 *
 * - `domain`: the instance's domain (`services.mastodon.localDomain`); user handles are `@user@domain`.
 * - `adminEmail`: the instance's contact address (shown on the about page).
 * - `smtp`: outgoing mail, `{ mode: "local" }` (default: Postfix on the machine) or a relay.
 * - `registrations`: `closed` (default), `approval` or `open`.
 * - `initialAdmin`: an Owner account created once on first start, with a generated or imported password.
 * - `resources`: memory/CPU/disk the planner reserves; floor 4096 MiB unless `allowBelowFloor`.
 * - `extraSettings`: extra Mastodon environment variables (`services.mastodon.extraConfig`), checked for secrets.
 */
export const MastodonOptions: z.ZodType<MastodonOptions, MastodonOptionsInput> = MastodonOptionsSchema;

/** Validated Mastodon options (defaults applied). */
export interface MastodonOptions {
  /** Domain of the instance. */
  domain: string;
  /** Contact e-mail of the administrators. */
  adminEmail: string;
  /** Outgoing mail. */
  smtp: SmtpOptions;
  /** Who may sign up. */
  registrations: "closed" | "approval" | "open";
  /** Initial administrator, if any. */
  initialAdmin?: {
    /** User name. */
    username: string;
    /** E-mail address (marked confirmed). */
    email: string;
    /** How the password is made. */
    password: "generate" | "import";
  };
  /** Resources the planner reserves. */
  resources: ResolvedResources;
  /** Extra settings passed to the module. */
  extraSettings: Record<string, string | number | boolean>;
}

/** Mastodon options as a user writes them (see {@link MastodonOptions} for the defaults). */
export interface MastodonOptionsInput {
  /** Domain of the instance, e.g. `social.example.org`. */
  domain: string;
  /** Contact e-mail of the administrators. */
  adminEmail: string;
  /** Outgoing mail; default `{ mode: "local" }`. */
  smtp?: SmtpOptionsInput;
  /** Who may sign up; default `closed`. */
  registrations?: "closed" | "approval" | "open";
  /** Initial administrator created on first start. */
  initialAdmin?: {
    /** User name. */
    username: string;
    /** E-mail address. */
    email: string;
    /** `generate` (default) or `import`. */
    password?: "generate" | "import";
  };
  /** Resource overrides: `memoryMiB`, `cpus`, `diskGiB`, `allowBelowFloor`. */
  resources?: { memoryMiB?: number; cpus?: number; diskGiB?: number; allowBelowFloor?: boolean };
  /** Extra settings passed to the module (no secrets). */
  extraSettings?: Record<string, string | number | boolean>;
}
