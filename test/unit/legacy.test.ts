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
