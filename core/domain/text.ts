import type * as z from 'zod';

// Text a client may send is Unicode text: no lone surrogate (it breaks every encoder it meets,
// encodeURIComponent first) and no control character but, where lines are allowed, tab, LF and CR.
const LINE = /^[^\p{Cs}\p{Cc}]*$/u;
const LINES = /^[^\p{Cs}\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$/u;

/** One line of text: refuses lone surrogates and every control character. */
export const line = <S extends z.ZodString>(schema: S) => schema.regex(LINE, 'must be Unicode text without control characters');

/** Text of several lines: refuses lone surrogates and control characters but tab, line feed and carriage return. */
export const lines = <S extends z.ZodString>(schema: S) =>
  schema.regex(LINES, 'must be Unicode text without control characters other than tab and line breaks');

/** Stored text as something every encoder takes: a lone surrogate, stored before text was checked, becomes U+FFFD. */
export const wellFormed = (text: string) => text.replace(/\p{Cs}/gu, '\uFFFD');
