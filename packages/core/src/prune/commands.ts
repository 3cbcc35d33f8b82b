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
  const psql = "runuser -u postgres -- psql -X -q -t -A -v ON_ERROR_STOP=1 -d postgres -c";
  const exists = shellQuote(`SELECT 1 FROM pg_database WHERE datname = ${pgLiteral(name)}`);
  const drop = shellQuote(`DROP DATABASE IF EXISTS ${pgIdentifier(name)}`);
  return [
    "command -v psql >/dev/null || { echo 'psql not found: is PostgreSQL still enabled on this machine?' >&2; exit 3; }",
    `__fedi_found=$(${psql} ${exists}) || exit 4`,
    `if [ "$__fedi_found" = 1 ]; then ${psql} ${drop} && echo deleted; else echo absent; fi`,
  ].join("\n");
}

/** A shell command dropping MySQL/MariaDB database `name` as root (socket authentication); prints `deleted` or `absent`. */
export function dropMysqlCommand(name: string): string {
  const mysql = "mysql -N -B -e";
  const exists = shellQuote(
    `SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = ${mysqlLiteral(name)}`,
  );
  const drop = shellQuote(`DROP DATABASE IF EXISTS ${mysqlIdentifier(name)}`);
  return [
    "command -v mysql >/dev/null || { echo 'mysql not found: is MySQL still enabled on this machine?' >&2; exit 3; }",
    `__fedi_found=$(${mysql} ${exists}) || exit 4`,
    `if [ "$__fedi_found" = 1 ]; then ${mysql} ${drop} && echo deleted; else echo absent; fi`,
  ].join("\n");
}

/** The data folder of nixpkgs' `services.redis.servers.<name>`. */
export function redisDataDir(name: string): string {
  return `/var/lib/redis-${name}`;
}
