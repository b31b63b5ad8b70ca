import { describe, expect, it } from 'vitest';
import { shout } from '../../core/use-cases/legacy.js';

describe('shout', () => {
  it('reverses and upper-cases the text', () => {
    // Prepare
    const text = 'hello, world!';

    // Act
    const result = shout(text);

    // Assess
    expect(result).toBe('!DLROW ,OLLEH');
  });

  it('returns an empty string for an empty string', () => {
    // Prepare
    const text = '';

    // Act
    const result = shout(text);

    // Assess
    expect(result).toBe('');
  });

  it('keeps an emoji with a skin-tone modifier intact', () => {
    // Prepare
    const text = 'ok👍🏽';

    // Act
    const result = shout(text);

    // Assess
    expect(result).toBe('👍🏽KO');
  });

  it('keeps a zero-width-joiner family emoji intact', () => {
    // Prepare
    const family = '👨‍👩‍👧';

    // Act
    const result = shout(`a${family}b`);

    // Assess
    expect(result).toBe(`B${family}A`);
  });

  it('keeps flag emoji intact while reversing their order', () => {
    // Prepare
    const text = '🇫🇷🇩🇪';

    // Act
    const result = shout(text);

    // Assess
    expect(result).toBe('🇩🇪🇫🇷');
  });

  it('keeps a combining accent on its base letter', () => {
    // Prepare
    const text = 'e\u0301a';

    // Act
    const result = shout(text);

    // Assess
    expect(result).toBe('AE\u0301');
  });
});

describe('shout on long text', () => {
  const reference = (text: string) =>
    Array.from(new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text), ({ segment }) => segment)
      .reverse()
      .join('')
      .toUpperCase();

  it('cuts text into the same clusters as one pass over the whole string, across window edges', () => {
    // Prepare: clusters that straddle every window edge: flags, ZWJ families, long accents, CRLF, Hangul jamo.
    const parts = ['a', 'b', ' ', '\u0301', '🇺', '🇸', '👨', '\u200d', '👩', '\r', '\n', '\u1100', '\u1161', '\u11a8', '🏽', '한', '\u0600', '1', '\ufe0f', '\u20e3'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const texts = Array.from({ length: 300 }, () => Array.from({ length: next() % 400 }, () => parts[next() % parts.length]).join(''));
    texts.push('e' + '\u0301'.repeat(1000), '🇺🇸'.repeat(700), '👨‍👩‍👧'.repeat(300));

    // Act
    const mismatches = texts.filter((text) => shout(text) !== reference(text));

    // Assess
    expect(mismatches).toEqual([]);
  });

  it.each([
    ['ASCII', 'x'],
    ['accented', 'é'],
  ])('costs time linear in the length of %s text', (_, character) => {
    // Prepare: one text 64 times as long against 64 short ones, the same characters in all. Linear
    // cost gives a ratio near 1; quadratic segmentation gave about 64.
    const small = character.repeat(1024);
    const large = character.repeat(64 * 1024);
    const median = (run: () => void) => {
      const times = Array.from({ length: 9 }, () => {
        const start = performance.now();
        run();
        return performance.now() - start;
      });
      return times.sort((a, b) => a - b)[4]!;
    };
    const once = () => shout(large);
    const many = () => {
      for (let i = 0; i < 64; i++) shout(small);
    };
    median(once);
    median(many);

    // Act
    const ratio = median(once) / median(many);

    // Assess
    expect(ratio).toBeLessThan(8);
  });
});
