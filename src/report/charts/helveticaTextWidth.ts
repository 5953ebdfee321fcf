/** Font stack with Helvetica's metrics everywhere (Arial and Liberation Sans share them), so estimated widths hold. */
export const CHART_FONT = 'Helvetica, Arial, "Liberation Sans", sans-serif';

// Advance widths of ASCII 32..126 in Helvetica's AFM, per 1000 em.
const ASCII_WIDTHS = [
  278,
  278,
  355,
  556,
  556,
  889,
  667,
  191,
  333,
  333,
  389,
  584,
  278,
  333,
  278,
  278, // space ! " # $ % & ' ( ) * + , - . /
  556,
  556,
  556,
  556,
  556,
  556,
  556,
  556,
  556,
  556,
  278,
  278,
  584,
  584,
  584,
  556, // 0-9 : ; < = > ?
  1015,
  667,
  667,
  722,
  722,
  667,
  611,
  778,
  722,
  278,
  500,
  667,
  556,
  833,
  722,
  778, // @ A-O
  667,
  778,
  722,
  667,
  611,
  722,
  667,
  944,
  667,
  667,
  611,
  278,
  278,
  278,
  469,
  556, // P-Z [ \ ] ^ _
  333,
  556,
  556,
  500,
  556,
  556,
  278,
  556,
  556,
  222,
  222,
  500,
  222,
  833,
  556,
  556, // ` a-o
  556,
  556,
  333,
  500,
  278,
  556,
  500,
  722,
  500,
  500,
  500,
  334,
  260,
  334,
  584, // p-z { | } ~
];
const WIDE = 1000; // CJK ideographs, kana, full-width forms, em dash, ellipsis
const OTHER = 556; // any other character: Helvetica's digit width
/** Bold Helvetica runs about 7 % wider than regular. */
const BOLD_FACTOR = 1.07;

/**
 * Width in pixels of `text` set in Helvetica (or a metric-compatible face) at `fontSizePx`.
 * Vega measures text with a canvas when it has one; in Node it falls back to 0.8 em per character,
 * which over-estimates Latin text by about half (truncated legends, over-wide SVGs).
 */
export function helveticaTextWidth(text: string, fontSizePx: number, bold = false): number {
  let units = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code >= 32 && code <= 126) units += ASCII_WIDTHS[code - 32]!;
    else if (code >= 0x2e80 || code === 0x2014 || code === 0x2026) units += WIDE;
    else units += OTHER;
  }
  return (units / 1000) * fontSizePx * (bold ? BOLD_FACTOR : 1);
}
