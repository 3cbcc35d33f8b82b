import {
  adminUserSchema,
  DomainName,
  dotenvValueProblem,
  EmailAddress,
  extraSettingsSchema,
  type ResolvedResources,
  reservedKeys,
  resourcesSchema,
  SmtpOptions,
  type SmtpOptionsInput,
} from "@fediversity/core";
import { z } from "zod";

/** Pixelfed's memory floor: the Fediversity VM tests needed 4 GiB. */
export const PIXELFED_FLOOR = { memoryMiB: 4096, cpus: 1, diskGiB: 10 } as const;

/** What an instance asks for when `resources` gives nothing. */
export const PIXELFED_DEFAULT_RESOURCES = { memoryMiB: 4096, cpus: 2, diskGiB: 20 } as const;

/**
 * A Pixelfed user name as its sign-up form accepts it: 2-15 letters and digits, with at most one `-`, `.` or `_`
 * inside.
 */
const PixelfedUsername = z
  .string()
  .regex(
    /^(?=.{2,15}$)[a-z0-9]+([._-][a-z0-9]+)?$/,
    "must be 2-15 of a-z and 0-9, with at most one '-', '.' or '_' inside",
  )
  .describe("2-15 of a-z and 0-9, with at most one '-', '.' or '_' inside");

/** `.env` settings the module or this plugin set; `extraSettings` may not touch them. */
const RESERVED_NAMES = [
  "APP_KEY",
  "APP_URL",
  "APP_DOMAIN",
  "ADMIN_DOMAIN",
  "SESSION_DOMAIN",
  "OPEN_REGISTRATION",
  "INSTANCE_CONTACT_EMAIL",
  "PF_ENABLE_CLOUD",
  "FILESYSTEM_CLOUD",
];
const RESERVED_PREFIXES = ["AWS_", "MAIL_", "DB_", "REDIS_"];

/** Settings the module reads as booleans: any other type breaks its evaluation. */
export const BOOLEAN_SETTINGS: readonly string[] = ["ACTIVITY_PUB", "OAUTH_ENABLED"];

const PixelfedExtraSettings = extraSettingsSchema({
  shape: "flat",
  keyPattern: /^[A-Z][A-Z0-9_]*$/,
  keyMessage: "must be a .env setting name (A-Z, 0-9 and '_', starting with a letter)",
  reserved: reservedKeys({
    names: RESERVED_NAMES,
    namePrefixes: RESERVED_PREFIXES,
    reason:
      "is set by the Pixelfed plugin or module (domain, database, Redis, mail, S3 or secrets); use the plugin's options",
  }),
}).superRefine((settings, ctx) => {
  for (const [key, value] of Object.entries(settings)) {
    if (typeof value === "number" && !Number.isInteger(value)) {
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: "must be a whole number, a string or a boolean (the module takes no fractions)",
      });
    }
    const problem = typeof value === "string" ? dotenvValueProblem(value) : undefined;
    if (problem !== undefined) ctx.addIssue({ code: "custom", path: [key], message: problem });
    if (BOOLEAN_SETTINGS.includes(key) && typeof value !== "boolean") {
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: "must be true or false (the module reads it as a boolean)",
      });
    }
  }
});

const PixelfedOptionsSchema = z
  .object({
    /** Domain of the instance, e.g. `pixelfed.example.org`. */
    domain: DomainName.describe("Domain of the instance, e.g. `pixelfed.example.org`."),
    /** Contact e-mail of the instance's administrators. */
    adminEmail: EmailAddress.describe("Contact e-mail of the instance's administrators (`INSTANCE_CONTACT_EMAIL`)."),
    /** Outgoing mail. Default `{ mode: "local" }`. */
    smtp: SmtpOptions.prefault({ mode: "local" }).describe('Outgoing mail. Default `{ mode: "local" }`.'),
    /** Who may sign up: `closed` (default) or `open`. */
    registrations: z
      .enum(["closed", "open"])
      .default("closed")
      .describe("Who may sign up: `closed` (default) or `open`."),
    /** Administrator created on first start. */
    initialAdmin: adminUserSchema({
      username: PixelfedUsername,
      reservedUsernames: [
        "admin",
        "administrator",
        "root",
        "support",
        "help",
        "webmaster",
        "mod",
        "moderator",
        "pixelfed",
      ],
    })
      .optional()
      .describe("Administrator created on first start, with a generated or imported password."),
    /** Resource overrides. */
    resources: resourcesSchema({
      service: "Pixelfed",
      floor: PIXELFED_FLOOR,
      defaults: PIXELFED_DEFAULT_RESOURCES,
    }).describe("Resource overrides: memory, CPU and disk the planner reserves for the instance."),
    /** Extra `.env` settings (they land in the Nix store: no secrets). */
    extraSettings: PixelfedExtraSettings.default({}).describe(
      "Extra `.env` settings (`services.pixelfed.settings`; they land in the Nix store: no secrets). Names: A-Z, 0-9 " +
        "and '_', starting with a letter; numbers must be whole; " +
        `${BOOLEAN_SETTINGS.join(" and ")} must be true or false. Set by the plugin or module, so refused: ` +
        `${RESERVED_NAMES.join(", ")} and names starting with ${RESERVED_PREFIXES.join(", ")}.`,
    ),
  })
  .strict()
  .describe("Options of a Pixelfed instance.");

/**
 * Options of a Pixelfed instance.
 *
 * - `domain`: the instance's domain (`services.pixelfed.domain`).
 * - `adminEmail`: the instance's contact address (`INSTANCE_CONTACT_EMAIL`).
 * - `smtp`: outgoing mail, `{ mode: "local" }` (default: Postfix on the machine) or a relay.
 * - `registrations`: `closed` (default) or `open`.
 * - `initialAdmin`: an administrator created once on first start, with a generated or imported password.
 * - `resources`: memory/CPU/disk the planner reserves; floor 4096 MiB unless `allowBelowFloor`.
 * - `extraSettings`: extra `.env` settings (`services.pixelfed.settings`), checked for secrets.
 */
export const PixelfedOptions: z.ZodType<PixelfedOptions, PixelfedOptionsInput> = PixelfedOptionsSchema;

/** Validated Pixelfed options (defaults applied). */
export interface PixelfedOptions {
  /** Domain of the instance. */
  domain: string;
  /** Contact e-mail of the administrators. */
  adminEmail: string;
  /** Outgoing mail. */
  smtp: SmtpOptions;
  /** Who may sign up. */
  registrations: "closed" | "open";
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

/** Pixelfed options as a user writes them (see {@link PixelfedOptions} for the defaults). */
export interface PixelfedOptionsInput {
  /** Domain of the instance, e.g. `photos.example.org`. */
  domain: string;
  /** Contact e-mail of the administrators. */
  adminEmail: string;
  /** Outgoing mail; default `{ mode: "local" }`. */
  smtp?: SmtpOptionsInput;
  /** Who may sign up; default `closed`. */
  registrations?: "closed" | "open";
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
