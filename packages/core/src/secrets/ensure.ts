import { FediError, type FediIssue } from "../errors.js";
import { generateSecret } from "./generate.js";
import { secretNameProblem } from "./names.js";
import type { SecretStore } from "./store.js";
import type { SecretDeclaration, SecretGenerator } from "./types.js";

/** Result of {@link ensureSecrets}: names only, never values. */
export interface EnsureSecretsResult {
  /** Secrets generated and stored by this call, in declaration order. */
  created: string[];
  /** Secrets that were already in the store and were left as they were, in declaration order. */
  kept: string[];
}

function sameGenerator(a: SecretGenerator, b: SecretGenerator): boolean {
  const canonical = (g: SecretGenerator) =>
    JSON.stringify(Object.entries(g).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
  return canonical(a) === canonical(b);
}

/**
 * Makes sure every declared secret is in `store`: each missing one is generated once and stored; existing values are
 * kept untouched (so values survive across runs). Declarations are checked first — invalid names and one name
 * declared with two different generators give one `SECRET_FAILED` error listing every problem — and so are `import`
 * secrets: when any is missing, one `SECRET_FAILED` error lists them all (an issue per secret, with its description)
 * and nothing is generated. Returns the names created and kept, never a value.
 */
export async function ensureSecrets(
  store: SecretStore,
  declarations: readonly SecretDeclaration[],
): Promise<EnsureSecretsResult> {
  const issues: FediIssue[] = [];
  const unique = new Map<string, SecretDeclaration>();
  declarations.forEach((declaration, index) => {
    const problem = secretNameProblem(declaration.name);
    if (problem !== undefined) {
      issues.push({ path: `declarations[${index}].name`, message: problem });
      return;
    }
    const earlier = unique.get(declaration.name);
    if (earlier === undefined) unique.set(declaration.name, declaration);
    else if (!sameGenerator(earlier.generate, declaration.generate)) {
      issues.push({
        path: `declarations[${index}]`,
        message: `secret ${JSON.stringify(declaration.name)} is declared twice with different generators (${earlier.generate.kind} and ${declaration.generate.kind})`,
      });
    }
  });
  if (issues.length > 0) {
    throw new FediError("SECRET_FAILED", `${issues.length} secret declaration(s) are invalid.`, {
      issues,
      hint: "This is a bug in a plugin (or in a hand-written declaration): each secret needs one valid name and one generator.",
    });
  }

  const present = new Map<string, boolean>();
  for (const name of unique.keys()) present.set(name, await store.has(name));

  const missingImports = [...unique.values()].filter((d) => d.generate.kind === "import" && !present.get(d.name));
  if (missingImports.length > 0) {
    const names = missingImports.map((d) => d.name);
    throw new FediError(
      "SECRET_FAILED",
      `${names.length} secret(s) must be provided by you before deploying: ${names.join(", ")}.`,
      {
        issues: missingImports.map((d) => ({
          path: d.name,
          message: `${d.generate.kind === "import" ? d.generate.description : ""} — set it with \`fedi secret set ${d.name}\``,
          code: "secret_missing",
        })),
        hint: "Provide each with `fedi secret set <name>` (the value is read from standard input) or SecretStore.set(name, value), then run again. Nothing was generated.",
      },
    );
  }

  const created: string[] = [];
  const kept: string[] = [];
  for (const declaration of unique.values()) {
    if (present.get(declaration.name)) {
      kept.push(declaration.name);
      continue;
    }
    await store.set(declaration.name, generateSecret(declaration.generate, declaration.name));
    created.push(declaration.name);
  }
  return { created, kept };
}
