import type { StateStore } from "../../state/store.js";
import type { DeploymentState } from "../../state/types.js";

/**
 * The progress of one apply, kept in the state (`progress.completed`) as each step (or each machine's upload)
 * finishes, so that a failed or cancelled run of the same plan is continued rather than repeated. Markers are step
 * names and `uploaded:<machine>`. Progress recorded for another plan (another hash) is ignored.
 */
export class ApplyProgressRecorder {
  readonly #store: StateStore;
  readonly #state: DeploymentState;
  readonly #done: Set<string>;
  #written: Promise<void> = Promise.resolve();

  /**
   * @param store where the progress is written.
   * @param previous the state read under the lock (its `progress` counts only if it is for `planHash`).
   * @param planHash hash of the plan being applied (without its diff).
   * @param now when this run started (kept from the earlier run when continuing one).
   */
  constructor(store: StateStore, previous: DeploymentState, planHash: string, now: Date = new Date()) {
    this.#store = store;
    const earlier = previous.progress?.planHash === planHash ? previous.progress : undefined;
    this.#done = new Set(earlier?.completed ?? []);
    this.#state = {
      ...previous,
      progress: {
        planHash,
        completed: [...this.#done],
        startedAt: previous.progress?.startedAt ?? now.toISOString(),
      },
    };
  }

  /** Whether nothing of this plan was finished before (by an earlier run) or yet (by this one). */
  get empty(): boolean {
    return this.#done.size === 0;
  }

  /** Whether `marker` (a step name or `uploaded:<machine>`) was finished. */
  has(marker: string): boolean {
    return this.#done.has(marker);
  }

  /** The finished markers, in the order they were recorded. */
  markers(): string[] {
    return [...this.#done];
  }

  /**
   * Records `marker` as finished and writes the state. Writes are chained, each taking the latest set of markers,
   * so that parallel recordings (one per machine's upload) cannot overwrite a newer record with an older one.
   */
  record(marker: string): Promise<void> {
    this.#done.add(marker);
    this.#written = this.#written.then(() => {
      this.#state.progress = { ...this.#state.progress!, completed: [...this.#done] };
      return this.#store.write(this.#state);
    });
    return this.#written;
  }
}
