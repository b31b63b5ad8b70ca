const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** The legacy text transform: reversed by user-perceived character (so emoji survive), then upper-cased. */
export function shout(text: string): string {
  return Array.from(graphemes.segment(text), ({ segment }) => segment)
    .reverse()
    .join('')
    .toUpperCase();
}
