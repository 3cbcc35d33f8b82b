import type { AnyFediEvent, FediEvents } from "@fediversity/core";
import type { OutputStream } from "./io.js";
import type { Style } from "./style.js";

/**
 * Prints progress events on a stream (stderr): a line per finished step with its duration, progress within long
 * steps, warnings and errors. Returns a function that stops listening.
 */
export function printProgress(events: FediEvents, stream: OutputStream, style: Style): () => void {
  const listener = (event: AnyFediEvent) => {
    const line = progressLine(event, style);
    if (line !== undefined) stream.write(`${line}\n`);
  };
  events.on("event", listener);
  return () => events.off("event", listener);
}

function progressLine(event: AnyFediEvent, style: Style): string | undefined {
  switch (event.code) {
    case "step.end": {
      const mark = event.data.ok ? style.green("✓") : style.red("✗");
      // Each line says which step it ends: "✓ preflight: 3 machine(s) ready (1.2 s)".
      const what = event.data.summary ? `${event.data.step}: ${event.data.summary}` : event.data.step;
      return `${mark} ${what} ${style.dim(`(${formatDuration(event.data.durationMs)})`)}`;
    }
    case "step.progress":
      return `  ${style.dim(`${event.data.step} ${event.data.done}/${event.data.total}`)}${event.data.message ? ` ${event.data.message}` : ""}`;
    case "preflight.problem":
      return `  ${style.red("✗")} ${event.machine ?? ""}: ${event.data.check} — expected ${event.data.expected}, found ${event.data.actual}${event.data.hint ? ` (${event.data.hint})` : ""}`;
    case "verify.check":
      return event.data.ok
        ? undefined
        : `  ${style.red("✗")} ${event.machine ?? ""}: ${event.data.check} — ${event.data.detail}`;
    case "storage.step":
      return `  ${style.dim("storage:")} ${event.data.summary}`;
    case "secret.uploaded":
      return `  ${style.dim(`${event.machine ?? ""}: uploaded ${event.data.file}`)}`;
    case "log":
      if (event.level === "warn") return `${style.yellow("warning")}: ${event.data.message}`;
      if (event.level === "error") return `${style.red("error")}: ${event.data.message}`;
      return event.level === "info" ? event.data.message : undefined;
    default:
      return undefined;
  }
}

/** `850 ms`, `1.2 s`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}
