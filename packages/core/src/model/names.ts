import { isIPv6 } from "node:net";
import { z } from "zod";

/** A DNS label: 1–63 characters of `a-z`, `0-9` and `-`, not starting or ending with `-`. Used for machine names. */
export const DnsLabel = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
    "must be a DNS label: 1-63 of a-z, 0-9 and '-', not starting or ending with '-'",
  )
  .describe("A DNS label: 1-63 of a-z, 0-9 and '-', not starting or ending with '-'.");

/** A name of a deployment or a service instance: a DNS label (it becomes part of bucket, secret and unit names). */
export const InstanceName = z
  .string()
  .regex(
    /^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/,
    "must start with a letter and use only a-z, 0-9 and '-' (at most 40 characters, not ending with '-')",
  )
  .describe("A name: starts with a letter, then a-z, 0-9 and '-' (at most 40 characters, not ending with '-').");

/** A fully qualified domain name such as `social.example.org` (lowercase, at least two labels). */
export const DomainName = z
  .string()
  .max(253)
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/,
    "must be a lowercase fully qualified domain name such as social.example.org",
  )
  .describe("A lowercase fully qualified domain name such as `social.example.org`.");

/** An IPv4 address in dotted-quad form. */
const IPv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** A machine address: an IPv4 or IPv6 address, or a hostname. */
export const HostAddress = z
  .string()
  .min(1)
  .refine(
    (v) =>
      IPv4.test(v) ||
      (v.includes(":") && isIPv6(v)) ||
      /^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)*[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/.test(v),
    "must be an IPv4 or IPv6 address or a hostname",
  )
  .describe("An IPv4 or IPv6 address, or a hostname.");

/** An e-mail address (simple form: `local@domain`). */
export const EmailAddress = z
  .string()
  .regex(/^[^\s@"'\\]+@[^\s@"'\\]+\.[^\s@"'\\]+$/, "must be an e-mail address")
  .describe("An e-mail address (`local@domain`).");

/** A TCP/UDP port number. */
export const Port = z.number().int().min(1).max(65535).describe("A TCP/UDP port number (1-65535).");
