import { isUnsupportedText } from './stored-text.js';

const REPLACEMENT = '\ufffd';

/**
 * Informational text from elsewhere (an error message, a scraper's answer, a parser's complaint
 * quoting its input) made storable: each character stored-text.ts refuses becomes U+FFFD, the
 * rest is kept as is. Only for text that describes; identifying text is refused instead.
 */
export function replaceUnsupportedText(text: string): string {
  if (!isUnsupportedText(text)) return text;
  let kept = '';
  // Iterates code points: a well-formed pair comes as one, a lone surrogate alone.
  for (const char of text) kept += isUnsupportedText(char) ? REPLACEMENT : char;
  return kept;
}
