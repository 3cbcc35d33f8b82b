import { EventEmitter } from "eventemitter3";

/** Severity of an event. */
export type EventLevel = "debug" | "info" | "warn" | "error";

/** Event codes and the typed data each carries. Every message the SDK reports has a registered code here. */
export interface EventDataMap {
  /** A run (plan or apply) started. */
  "run.start": { command: "plan" | "apply" | "status"; deployment: string };
  /** A run ended. */
  "run.end": { ok: boolean; durationMs: number; summary: string };
  /** A step of the pipeline started. */
  "step.start": { step: string; description: string };
  /** A step ended. */
  "step.end": { step: string; ok: boolean; durationMs: number; skipped?: boolean; summary?: string };
  /** Progress within a long step. */
  "step.progress": { step: string; done: number; total: number; message?: string };
  /** A plan was made (`createPlan` with `events`): its size and how much it changes against the state. */
  "plan.done": {
    deployment: string;
    machines: number;
    instances: number;
    upToDate: boolean;
    added: number;
    changed: number;
    moved: number;
    removed: number;
  };
  /** Planning failed (`createPlan` with `events`): the error's code and how many issues it lists; it is then thrown. */
  "plan.failed": { code: string; message: string; issues: number };
  /** Deployment files written. */
  "render.written": { dir: string; written: string[]; unchanged: string[]; removed: string[] };
  /** A preflight problem. */
  "preflight.problem": { check: string; expected: string; actual: string; hint?: string };
  /** Facts gathered from a machine. */
  "preflight.facts": { system: string; memoryMiB: number; freeDiskGiB: number; isNixOS: boolean };
  /** A secret was generated (name only). */
  "secret.generated": { name: string };
  /** A secret file was uploaded (name and path only). */
  "secret.uploaded": { file: string; path: string };
  /** A storage operation. */
  "storage.step": { summary: string; changed: boolean };
  /** A line of NixOps4 output. */
  "nixops4.line": { stream: "stdout" | "stderr"; text: string };
  /** A health check result. */
  "verify.check": { check: string; ok: boolean; detail: string };
  /** Free-form log line (already redacted). */
  log: { message: string };
}

/** An event code. */
export type EventCode = keyof EventDataMap;

/** One event: sequence number, time, level, code, machine/service when it applies, and typed data. */
export interface FediEvent<C extends EventCode = EventCode> {
  /** Increasing number within one emitter. */
  seq: number;
  /** ISO 8601 time. */
  time: string;
  /** Severity. */
  level: EventLevel;
  /** Code. */
  code: C;
  /** Machine the event concerns. */
  machine?: string;
  /** Service instance the event concerns. */
  service?: string;
  /** Typed data. */
  data: EventDataMap[C];
}

/** Any event, as a union discriminated by `code`. */
export type AnyFediEvent = { [C in EventCode]: FediEvent<C> }[EventCode];

/** The eventemitter3 event map of {@link FediEvents}: one `event` channel carrying every {@link AnyFediEvent}. */
export interface FediEventChannels {
  /** Every event. */
  event: (event: AnyFediEvent) => void;
}

/**
 * The SDK's typed event stream. Listen with `events.on("event", e => ...)`; narrow on `e.code`.
 * Each emitter numbers its events; a `redact` function (e.g. from the secret store) is applied to every string in
 * event data before listeners see it.
 */
export class FediEvents extends EventEmitter<FediEventChannels> {
  private seq = 0;

  /** @param redact applied to every string in event data (default: identity). */
  constructor(private readonly redact: (text: string) => string = (t) => t) {
    super();
  }

  /** Emits an event; returns it as listeners saw it. */
  report<C extends EventCode>(
    code: C,
    data: EventDataMap[C],
    options: { level?: EventLevel; machine?: string; service?: string } = {},
  ): FediEvent<C> {
    this.seq += 1;
    const event = {
      seq: this.seq,
      time: new Date().toISOString(),
      level: options.level ?? "info",
      code,
      ...(options.machine ? { machine: options.machine } : {}),
      ...(options.service ? { service: options.service } : {}),
      data: redactDeep(data, this.redact),
    } as FediEvent<C>;
    this.emit("event", event as unknown as AnyFediEvent);
    return event;
  }
}

function redactDeep<T>(value: T, redact: (t: string) => string): T {
  if (typeof value === "string") return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, redact)])) as T;
  }
  return value;
}
