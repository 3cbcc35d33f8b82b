/**
 * Progress of the machines layer, reported through an optional callback (the layer never prints). Commands marked
 * sensitive appear by their label only; no event carries file contents or secret values.
 */
export type MachineEvent =
  | {
      /** A connection attempt starts. */
      type: "connecting";
      /** The machine's name. */
      machine: string;
      /** `host:port`. */
      address: string;
      /** 1-based attempt number within the current operation. */
      attempt: number;
    }
  | {
      /** The handshake, host key check and authentication succeeded. */
      type: "connected";
      /** The machine's name. */
      machine: string;
      /** Time the connection took. */
      durationMs: number;
    }
  | {
      /** A connection closed (on purpose or lost). */
      type: "disconnected";
      /** The machine's name. */
      machine: string;
    }
  | {
      /** A transient failure happened; the operation will be tried again after `delayMs`. */
      type: "retrying";
      /** The machine's name. */
      machine: string;
      /** What was being done, e.g. `upload /var/lib/x`. */
      operation: string;
      /** The attempt that failed (1-based). */
      attempt: number;
      /** The attempt limit. */
      maxAttempts: number;
      /** The wait before the next attempt. */
      delayMs: number;
      /** Why the attempt failed. */
      reason: string;
    }
  | {
      /** A remote command starts. */
      type: "command-started";
      /** The machine's name. */
      machine: string;
      /** The command, or its label when sensitive. */
      command: string;
    }
  | {
      /** A remote command ended (exit code, or `null` when killed by a signal). */
      type: "command-finished";
      /** The machine's name. */
      machine: string;
      /** The command, or its label when sensitive. */
      command: string;
      /** Exit code, `null` when killed by a signal. */
      code: number | null;
      /** Time the command took. */
      durationMs: number;
    }
  | {
      /** Bytes of an upload have been acknowledged by the machine. */
      type: "upload-progress";
      /** The machine's name. */
      machine: string;
      /** The temporary file being written. */
      path: string;
      /** Bytes acknowledged so far. */
      bytes: number;
      /** Size of the upload. */
      totalBytes: number;
    }
  | {
      /** An upload was renamed into place. */
      type: "upload-finished";
      /** The machine's name. */
      machine: string;
      /** The target path. */
      path: string;
      /** Size of the file. */
      bytes: number;
    };

/** Callback receiving {@link MachineEvent}s. It must not throw; errors it throws are ignored. */
export type MachineEventListener = (event: MachineEvent) => void;

/** Calls the listener, if any, shielding the caller from listener errors. */
export function emitMachineEvent(listener: MachineEventListener | undefined, event: MachineEvent): void {
  if (!listener) return;
  try {
    listener(event);
  } catch {
    // A broken progress listener must not break a deployment.
  }
}
