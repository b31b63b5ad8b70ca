const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** The most UTF-16 code units the legacy endpoint transforms; longer data is refused with a 400. */
export const LEGACY_MAX_LENGTH = 4096;

/** Code units segmented at a time: ICU's grapheme iterator costs time quadratic in the string's length. */
const WINDOW = 256;

/**
 * The legacy text transform: reversed by user-perceived character (so emoji survive), then upper-cased.
 * The text is segmented window by window, which keeps the cost linear. A boundary is decided by the
 * characters before it and the one code point after it, so every boundary of a window but the last
 * is final; the next window starts at the last one (a window never ends inside a surrogate pair).
 */
export function shout(text: string): string {
  const clusters: string[] = [];
  let start = 0;
  let size = WINDOW;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end += 1;
    const segments = Array.from(graphemes.segment(text.slice(start, end)), ({ segment }) => segment);
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
  return clusters.reverse().join('').toUpperCase();
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
