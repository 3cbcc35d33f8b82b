export {
  MAX_IMPORT_BYTES,
  type NixosImport,
  type NixosImportProblemCode,
  type NixosImports,
  nixosImportSources,
  type ReadNixosImportsOptions,
  readNixosImports,
} from "./read.js";
export { textDefinesBootLoader, textDefinesRootFileSystem } from "./text-checks.js";
