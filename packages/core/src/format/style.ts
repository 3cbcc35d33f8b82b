/**
 * How formatted text is styled: each function wraps a piece of text (in ANSI codes, HTML tags, or not at all).
 * The `fedi` command passes one writing terminal colours; {@link plainStyle} writes plain text.
 */
export interface TextStyle {
  /** Whether the functions add anything (colour codes): false for plain text. */
  readonly color: boolean;
  /** Headings and names. */
  bold(text: string): string;
  /** Secondary text. */
  dim(text: string): string;
  /** Removals and errors. */
  red(text: string): string;
  /** Additions and success. */
  green(text: string): string;
  /** Changes, moves and warnings. */
  yellow(text: string): string;
  /** The deployment's name. */
  cyan(text: string): string;
}

const same = (text: string) => text;

/** The {@link TextStyle} of plain text: every function returns its text unchanged. */
export const plainStyle: TextStyle = Object.freeze({
  color: false,
  bold: same,
  dim: same,
  red: same,
  green: same,
  yellow: same,
  cyan: same,
});
