/**
 * Built on first use: creating a segmenter loads ICU's break rules, about a fifth of a function's
 * cold start (npm run bench:coldstart-instructions), and ASCII text never needs one.
 */
let graphemes: Intl.Segmenter | undefined;

/** The most UTF-16 code units the legacy endpoint transforms; longer data is refused with a 400. */
export const LEGACY_MAX_LENGTH = 4096;

/** Code units segmented at a time: ICU's grapheme iterator costs time quadratic in the string's length. */
const WINDOW = 256;

/**
 * The legacy text transform: reversed by user-perceived character (so emoji survive), then
 * upper-cased, in time linear in the length. Two ASCII characters always have a cluster boundary
 * between them, except CR LF (UAX #29), so ASCII text needs no segmenter; the rest goes through it.
 */
export function shout(text: string): string {
  const clusters: string[] = [];
  let start = 0;
  for (let cut = 1; cut <= text.length; cut++) {
    if (cut < text.length && !asciiBoundary(text, cut)) continue;
    if (cut - start === 1) clusters.push(text[start]!);
    else segment(text.slice(start, cut), clusters);
    start = cut;
  }
  return clusters.reverse().join('').toUpperCase();
}

function asciiBoundary(text: string, at: number): boolean {
  const before = text.charCodeAt(at - 1);
  const after = text.charCodeAt(at);
  return before < 0x80 && after < 0x80 && !(before === 0x0d && after === 0x0a);
}

/**
 * Segments window by window. A boundary is decided by the characters before it and the one code
 * point after it, so every boundary of a window but the last is final; the next window starts at
 * the last one (a window never ends inside a surrogate pair).
 */
function segment(text: string, clusters: string[]): void {
  let start = 0;
  let size = WINDOW;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end += 1;
    const segments = Array.from((graphemes ??= new Intl.Segmenter('en', { granularity: 'grapheme' })).segment(text.slice(start, end)), ({ segment }) => segment);
    if (end < text.length) {
      // One cluster longer than the window (a base with hundreds of combining marks): widen it.
      if (segments.length < 2) {
        size *= 2;
        continue;
      }
      segments.pop();
    }
    for (const segment of segments) {
      clusters.push(segment);
      start += segment.length;
    }
  }
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
