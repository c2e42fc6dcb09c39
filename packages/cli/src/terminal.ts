/**
 * Text from a history is untrusted: a title holding `ESC[2J` clears the auditor's screen, an OSC
 * sequence can retitle the window or write the clipboard, a bidi override reorders what a table shows,
 * and a newline inside a value can forge a line of `verify`'s verdict. Everything the CLI prints for a
 * person goes through one of these; control characters come out as `\u001b`, the way JSON writes them.
 * (The HTML report escapes for HTML instead; NDJSON from `duban export` is data and is left exact.)
 */

// C0 and C1 controls, DEL, and the bidirectional formatting characters (Trojan Source).
const CONTROLS = '\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';
const ALL = new RegExp(`[${CONTROLS}]`, 'g');
const ALL_TEST = new RegExp(`[${CONTROLS}]`);
/** The same but line feed and tab: what a multi-line output may keep. */
const BUT_LINES = new RegExp(`(?![\\n\\t])[${CONTROLS}]`, 'g');
const BUT_LINES_TEST = new RegExp(`(?![\\n\\t])[${CONTROLS}]`);
/** What JSON.stringify leaves raw: DEL, C1 and bidi controls (C0 it escapes itself). */
const JSON_RAW = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** A value put into one line of output (an id, a title, a field path): every control escaped. */
export const inline = (value: unknown): string => {
  const s = typeof value === 'string' ? value : String(value);
  return ALL_TEST.test(s) ? s.replace(ALL, escape) : s;
};

/** A whole output for a terminal: its own line breaks and tabs stay, every other control is escaped. */
export const terminalText = (text: string): string =>
  BUT_LINES_TEST.test(text) ? text.replace(BUT_LINES, escape) : text;

/** JSON for a terminal: the same value, with the characters JSON.stringify leaves raw written as escapes. */
export const jsonText = (value: unknown, indent = 2): string =>
  JSON.stringify(value, null, indent).replace(JSON_RAW, escape);
