import { isIP } from "node:net";
import { FediError } from "../errors.js";
import type { DnsRecord } from "../plan/dns.js";

/** The TTL (seconds) `fedi dns` writes unless told otherwise: short, so corrections spread fast while setting up. */
export const DEFAULT_DNS_TTL = 300;

/** Options of {@link zoneFileFragment}. */
export interface ZoneFileOptions {
  /** TTL of every record in seconds, 0 to 2147483647 (RFC 2181 §8). Default {@link DEFAULT_DNS_TTL}. */
  ttl?: number;
  /** Comment lines put first (without the `;`), e.g. what the fragment is for. */
  header?: readonly string[];
}

const NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * A zone-file fragment (RFC 1035 §5 master file syntax) with one line per record: absolute owner name with the
 * trailing dot, TTL, class `IN`, type and value (CNAME targets absolute too), each preceded by a comment saying what
 * it is for and who needs it. Paste it into the zones that hold the names. Pure and deterministic.
 * @throws FediError `SPEC_INVALID` for a TTL out of range or a record that cannot be written in a zone file.
 */
export function zoneFileFragment(records: readonly DnsRecord[], options: ZoneFileOptions = {}): string {
  const ttl = options.ttl ?? DEFAULT_DNS_TTL;
  if (!Number.isInteger(ttl) || ttl < 0 || ttl > 2_147_483_647) {
    throw new FediError("SPEC_INVALID", `The DNS TTL ${ttl} is not a whole number of seconds from 0 to 2147483647.`, {
      hint: "Give a TTL such as 300 (five minutes) or 3600 (an hour).",
    });
  }
  const lines = (options.header ?? []).map((h) => comment(h));
  for (const r of records) {
    if (!NAME.test(r.name) || !validValue(r))
      throw new FediError(
        "SPEC_INVALID",
        `The DNS record ${r.name} ${r.type} ${r.value} cannot be written in a zone file.`,
        {
          hint: "Names must be lower-case domain names and values addresses or host names of the record's type.",
        },
      );
    lines.push(comment(`${r.purpose}; needed by ${r.neededBy.join(", ")}`));
    const value = r.type === "CNAME" ? `${r.value}.` : r.value;
    lines.push(`${r.name}.\t${ttl}\tIN\t${r.type}\t${value}`);
  }
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}

function validValue(r: DnsRecord): boolean {
  if (r.type === "A") return isIP(r.value) === 4;
  if (r.type === "AAAA") return isIP(r.value) === 6;
  return r.type === "CNAME" && !r.value.startsWith("*.") && NAME.test(r.value);
}

/** A comment line; line breaks would end the comment and start a record, so they become spaces. */
function comment(text: string): string {
  return `; ${text.replace(/[\r\n]+/g, " ")}`;
}
