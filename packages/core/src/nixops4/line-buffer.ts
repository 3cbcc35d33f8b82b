/** Options of {@link LineBuffer}. */
export interface LineBufferOptions {
  /** Characters kept from the start of the output. Default 256 KiB. */
  headChars?: number;
  /** Characters kept from the end of the output. Default 1 MiB. */
  tailChars?: number;
}

/**
 * Collects the lines of a long-running command's output with bounded memory: the first `headChars` and the last
 * `tailChars` characters are kept, the middle is dropped (and counted). Enough to classify a failure, whose first
 * error and NixOps4's final `nixops4 error:` line are at the two ends.
 */
export class LineBuffer {
  private readonly headLimit: number;
  private readonly tailLimit: number;
  private readonly head: string[] = [];
  private headSize = 0;
  private tail: string[] = [];
  private tailStart = 0;
  private tailSize = 0;
  private dropped = 0;

  /** Creates an empty buffer. */
  constructor(options: LineBufferOptions = {}) {
    this.headLimit = options.headChars ?? 256 * 1024;
    this.tailLimit = options.tailChars ?? 1024 * 1024;
  }

  /** Adds one line (without its newline). */
  push(line: string): void {
    if (this.tailSize === 0 && this.headSize + line.length + 1 <= this.headLimit) {
      this.head.push(line);
      this.headSize += line.length + 1;
      return;
    }
    this.tail.push(line);
    this.tailSize += line.length + 1;
    while (this.tailSize > this.tailLimit && this.tailStart < this.tail.length - 1) {
      this.tailSize -= (this.tail[this.tailStart] as string).length + 1;
      this.tailStart += 1;
      this.dropped += 1;
    }
    if (this.tailStart > 4096) {
      this.tail = this.tail.slice(this.tailStart);
      this.tailStart = 0;
    }
  }

  /** The kept text, lines joined with `\n`, with a marker line where lines were dropped. */
  text(): string {
    const tail = this.tail.slice(this.tailStart);
    const marker = this.dropped > 0 ? [`… ${this.dropped} lines omitted …`] : [];
    return [...this.head, ...marker, ...tail].join("\n");
  }
}
