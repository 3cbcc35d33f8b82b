export {
  deleteDirectoryCommand,
  dropMysqlCommand,
  dropPostgresCommand,
  mysqlIdentifier,
  mysqlLiteral,
  type PruneCommandOutcome,
  pgIdentifier,
  pgLiteral,
  redisDataDir,
} from "./commands.js";
export {
  forgetPruned,
  type PruneItemResult,
  type PruneOptions,
  type PruneReport,
  type PruneRunner,
  type PruneStorage,
  prune,
} from "./execute.js";
export {
  checkDatabaseName,
  checkPrunablePath,
  leftoverId,
  type PlanPruneOptions,
  type PruneGroup,
  type PruneItem,
  type PrunePlan,
  planPrune,
} from "./plan.js";
export { type PruneStorageSession, type PruneStorageSources, pruneStorage } from "./storage.js";
