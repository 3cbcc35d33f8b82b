import { z } from "zod";
import { EmailAddress, HostAddress, Port } from "../../model/names.js";
import type { SecretNeed } from "../types.js";

/** Plugin-local id of the imported SMTP password secret (global name `<instance>.smtp-password`). */
export const SMTP_PASSWORD_SECRET_ID = "smtp-password";

/** How the connection to a relay is protected (typed as a plain union so generated docs show the three values). */
const SmtpSecurity: z.ZodType<"starttls" | "tls" | "none", "starttls" | "tls" | "none"> = z.enum([
  "starttls",
  "tls",
  "none",
]);

/** Mail through a mail server on the machine itself (e.g. Postfix, as the service's NixOS module sets it up). */
export const LocalSmtpOptions = z
  .object({
    /** Local delivery. */
    mode: z.literal("local").describe("Local delivery."),
    /** Sender address of the service's mail; default chosen by the plugin (e.g. `notifications@<domain>`). */
    from: EmailAddress.optional().describe(
      "Sender address of the service's mail; default chosen by the plugin (e.g. `notifications@<domain>`).",
    ),
  })
  .strict()
  .describe(
    "Mail through a mail server on the machine itself (e.g. Postfix, as the service's NixOS module sets it up).",
  );

/**
 * Mail through a relay (SMTP submission server). The password is never an option value: when `user` is given, the
 * password is the imported secret `smtp-password` (set it with `fedi secret set <instance>.smtp-password`).
 */
export const RelaySmtpOptions = z
  .object({
    /** Relay. */
    mode: z.literal("relay").describe("Relay."),
    /** Server host name or address. */
    host: HostAddress.describe("Server host name or address."),
    /** Server port. Default 587 (submission with STARTTLS). */
    port: Port.default(587).describe("Server port. Default 587 (submission with STARTTLS)."),
    /** `starttls` (default), `tls` (implicit TLS, usually port 465) or `none`. */
    security: SmtpSecurity.default("starttls").describe(
      "`starttls` (default), `tls` (implicit TLS, usually port 465) or `none`.",
    ),
    /** Login name; when set, the password comes from the imported secret `smtp-password`. */
    user: z
      .string()
      .min(1)
      .max(320)
      .regex(/^[^\s"'\\]+$/, "must not contain spaces, quotes or backslashes")
      .optional()
      .describe(
        "Login name; when set, the password comes from the imported secret `smtp-password` " +
          "(`fedi secret set <instance>.smtp-password`).",
      ),
    /** Sender address of the service's mail; default chosen by the plugin. */
    from: EmailAddress.optional().describe("Sender address of the service's mail; default chosen by the plugin."),
  })
  .strict()
  .describe(
    "Mail through a relay (SMTP submission server). The password is never an option value: when `user` is given, " +
      "it is the imported secret `smtp-password`.",
  );

/** Outgoing mail settings: `{ mode: "local" }` or `{ mode: "relay", host, port, security, user }`. */
export const SmtpOptions = z
  .discriminatedUnion("mode", [LocalSmtpOptions, RelaySmtpOptions], {
    error: 'must be { mode: "local" } or { mode: "relay", host, ... }',
  })
  .describe('Outgoing mail settings: `{ mode: "local" }` or `{ mode: "relay", host, port, security, user }`.');

/** Validated outgoing mail settings. */
export type SmtpOptions = z.output<typeof SmtpOptions>;
/** Outgoing mail settings as a user writes them. */
export type SmtpOptionsInput = z.input<typeof SmtpOptions>;

/** True when the settings log in to a relay (so the `smtp-password` secret exists). */
export function smtpAuthenticates(smtp: SmtpOptions): smtp is z.output<typeof RelaySmtpOptions> & { user: string } {
  return smtp.mode === "relay" && smtp.user !== undefined;
}

/** The imported secret holding the SMTP password, when the settings log in to a relay. */
export function smtpPasswordSecret(smtp: SmtpOptions): SecretNeed | undefined {
  if (!smtpAuthenticates(smtp)) return undefined;
  return {
    id: SMTP_PASSWORD_SECRET_ID,
    generate: { kind: "import", description: `Password of SMTP user '${smtp.user}' on ${smtp.host}:${smtp.port}` },
  };
}
