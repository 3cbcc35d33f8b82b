import { z } from "zod";

/** An amount of machine resources. */
export interface ResourceAmounts {
  /** Memory in MiB. */
  memoryMiB: number;
  /** CPU cores. */
  cpus: number;
  /** Local disk in GiB. */
  diskGiB: number;
}

/** Resources an instance asks for, after {@link resourcesSchema} applied defaults and floors. */
export interface ResolvedResources extends ResourceAmounts {
  /** The user accepted values below the service's floor. */
  allowBelowFloor: boolean;
}

/** Resource overrides as a user writes them; every field is optional. */
export interface ResourceOverridesInput {
  /** Memory in MiB (whole number). */
  memoryMiB?: number;
  /** CPU cores (fractions allowed). */
  cpus?: number;
  /** Local disk in GiB. */
  diskGiB?: number;
  /** Accept values below the service's floor. */
  allowBelowFloor?: boolean;
}

/** Options of {@link resourcesSchema}. */
export interface ResourcesSchemaOptions {
  /** Service name used in messages, e.g. `Mastodon`. */
  service: string;
  /** The smallest values the service is known to run with. */
  floor: ResourceAmounts;
  /** Values used when the user gives none (at least the floor). */
  defaults: ResourceAmounts;
}

const UNITS: Record<keyof ResourceAmounts, string> = { memoryMiB: "MiB", cpus: "CPU(s)", diskGiB: "GiB" };

/**
 * A zod schema for per-instance resource overrides: `{ memoryMiB?, cpus?, diskGiB?, allowBelowFloor? }`. Omitted
 * values take the service's defaults. A value below the service's floor is rejected at its own path (e.g.
 * `resources.memoryMiB`) unless `allowBelowFloor: true` is set, which accepts any positive value. The output always
 * has all four fields.
 */
export function resourcesSchema(
  options: ResourcesSchemaOptions,
): z.ZodType<ResolvedResources, ResourceOverridesInput | undefined> {
  const { floor, defaults, service } = options;
  return z
    .object({
      /** Memory in MiB. */
      memoryMiB: z
        .number()
        .int("must be a whole number of MiB")
        .positive()
        .optional()
        .describe(`Memory in MiB. Default ${defaults.memoryMiB}; at least ${floor.memoryMiB} (${service}'s floor).`),
      /** CPU cores (fractions allowed). */
      cpus: z
        .number()
        .positive()
        .optional()
        .describe(
          `CPU cores (fractions allowed). Default ${defaults.cpus}; at least ${floor.cpus} (${service}'s floor).`,
        ),
      /** Local disk in GiB. */
      diskGiB: z
        .number()
        .positive()
        .optional()
        .describe(`Local disk in GiB. Default ${defaults.diskGiB}; at least ${floor.diskGiB} (${service}'s floor).`),
      /** Accept values below the floor (tests, tiny instances): the service may fail or be slow. */
      allowBelowFloor: z
        .boolean()
        .default(false)
        .describe("Accept values below the floor (tests, tiny instances): the service may fail or be slow."),
    })
    .strict()
    .superRefine((value, ctx) => {
      if (value.allowBelowFloor) return;
      for (const key of ["memoryMiB", "cpus", "diskGiB"] as const) {
        const given = value[key];
        if (given !== undefined && given < floor[key]) {
          ctx.addIssue({
            code: "too_small",
            origin: "number",
            minimum: floor[key],
            inclusive: true,
            input: given,
            path: [key],
            message: `must be at least ${floor[key]} ${UNITS[key]} (${service}'s floor); set allowBelowFloor: true to go below it at your own risk`,
          });
        }
      }
    })
    .transform((value) => ({
      memoryMiB: value.memoryMiB ?? defaults.memoryMiB,
      cpus: value.cpus ?? defaults.cpus,
      diskGiB: value.diskGiB ?? defaults.diskGiB,
      allowBelowFloor: value.allowBelowFloor,
    }))
    .prefault({})
    .describe(`Resources the planner reserves for the instance; omitted values take ${service}'s defaults.`);
}
