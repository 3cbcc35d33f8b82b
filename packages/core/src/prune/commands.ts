import { shellQuote } from "../machine/shell.js";

/** Quotes an SQL identifier with double quotes (PostgreSQL): embedded `"` doubled. */
export function pgIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Quotes an SQL string literal for PostgreSQL (standard conforming strings: only `'` is special). */
export function pgLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Quotes a MySQL identifier with backticks (embedded backticks doubled). */
export function mysqlIdentifier(name: string): string {
  return `\`${name.replace(/`/g, "``")}\``;
}

/** Quotes a MySQL string literal (backslash and `'` escaped). */
export function mysqlLiteral(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

/** The line a prune command prints last: the item was deleted, or was not there. */
export type PruneCommandOutcome = "deleted" | "absent";

/** A shell command deleting `path` (never crossing file systems) that prints `deleted` or `absent`. */
export function deleteDirectoryCommand(path: string): string {
  const p = shellQuote(path);
  return `if [ -e ${p} ] || [ -L ${p} ]; then rm -rf --one-file-system -- ${p} && echo deleted; else echo absent; fi`;
}

/** A shell command dropping PostgreSQL database `name` as the `postgres` user; prints `deleted` or `absent`. */
export function dropPostgresCommand(name: string): string {
  return dropDatabaseCommand({
    client: "runuser -u postgres -- psql -X -q -t -A -v ON_ERROR_STOP=1 -d postgres -c",
    tool: "psql",
    server: "PostgreSQL",
    exists: `SELECT 1 FROM pg_database WHERE datname = ${pgLiteral(name)}`,
    drop: `DROP DATABASE IF EXISTS ${pgIdentifier(name)}`,
  });
}

/** A shell command dropping MySQL/MariaDB database `name` as root (socket authentication); prints `deleted` or `absent`. */
export function dropMysqlCommand(name: string): string {
  return dropDatabaseCommand({
    client: "mysql -N -B -e",
    tool: "mysql",
    server: "MySQL",
    exists: `SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = ${mysqlLiteral(name)}`,
    drop: `DROP DATABASE IF EXISTS ${mysqlIdentifier(name)}`,
  });
}

/**
 * The shell command both database engines share: fail clearly without the client, ask whether the database exists
 * (the query prints `1`), drop it if so. `client` is a fixed command line taking one SQL argument; the SQL (already
 * quoted for its engine) is shell-quoted as one argument.
 */
function dropDatabaseCommand(db: {
  client: string;
  tool: string;
  server: string;
  exists: string;
  drop: string;
}): string {
  return [
    `command -v ${db.tool} >/dev/null || { echo '${db.tool} not found: is ${db.server} still enabled on this machine?' >&2; exit 3; }`,
    `__fedi_found=$(${db.client} ${shellQuote(db.exists)}) || exit 4`,
    `if [ "$__fedi_found" = 1 ]; then ${db.client} ${shellQuote(db.drop)} && echo deleted; else echo absent; fi`,
  ].join("\n");
}

/** The data folder of nixpkgs' `services.redis.servers.<name>`. */
export function redisDataDir(name: string): string {
  return `/var/lib/redis-${name}`;
}
