/** Chinese digit characters, including the spoken-phone-number 幺 (1) and 两/兩 (2). */
const DIGIT_VALUES: ReadonlyMap<string, number> = new Map([
  ['零', 0],
  ['〇', 0],
  ['一', 1],
  ['幺', 1],
  ['二', 2],
  ['两', 2],
  ['兩', 2],
  ['三', 3],
  ['四', 4],
  ['五', 5],
  ['六', 6],
  ['七', 7],
  ['八', 8],
  ['九', 9],
]);

/** Units inside a 萬 section. */
const SMALL_UNITS: ReadonlyMap<string, bigint> = new Map([
  ['十', 10n],
  ['百', 100n],
  ['千', 1000n],
]);

const WAN = 10_000n;
const YI = 100_000_000n;
const LARGE_UNITS: ReadonlyMap<string, bigint> = new Map([
  ['萬', WAN],
  ['万', WAN],
  ['億', YI],
  ['亿', YI],
]);

// A run of numerals: Chinese digits and units, ASCII digits and full-width digits.
const NUMERAL_RUN = /[零〇一幺二两兩三四五六七八九十百千萬万億亿0-9０-９]+/gu;
const UNIT_CHARS = /[十百千萬万億亿]/u;
// 一 and 幺 alone are far more often words (一起, 統一, 一樣) than the number one.
const LONE_WORD_NUMERALS: ReadonlySet<string> = new Set(['一', '幺']);

type Token =
  | { kind: 'digit'; value: bigint; chinese: boolean }
  | { kind: 'smallUnit'; value: bigint }
  | { kind: 'largeUnit'; value: bigint };

/**
 * Inverse text normalisation for Chinese numerals: rewrites each run of numerals as ASCII digits
 * and leaves all other text untouched.
 *
 * - A run without a unit character (十百千萬万億亿) is read digit by digit, as phone numbers are
 *   spoken: 零九零零零七三三三一 -> 0900073331, 幺二三 -> 123, 零九12三 -> 09123.
 * - A run with a unit is a positional number: 一百零五 -> 105, 十五 -> 15, 两千零二十 -> 2020,
 *   三萬五千 -> 35000, 一億二千萬 -> 120000000, 3萬5千 -> 35000, 三萬五 -> 35000 (colloquial).
 * - A positional run that does not parse (三四百, 萬一, 千萬 with no leading digit) is left as is.
 * - A lone 一 or 幺 is left as is; full-width digits in a run become ASCII.
 * Decimals (點/点), negatives and fractions are not handled.
 */
export function inverseTextNormalize(text: string): string {
  return text.replace(NUMERAL_RUN, (run) => {
    if (LONE_WORD_NUMERALS.has(run)) return run;
    const tokens = tokenize(run);
    if (!UNIT_CHARS.test(run)) return tokens.map((token) => (token.kind === 'digit' ? token.value.toString() : '')).join('');
    return positionalValue(tokens)?.toString() ?? run;
  });
}

function tokenize(run: string): Token[] {
  const tokens: Token[] = [];
  let asciiDigits = '';
  const flushAscii = (): void => {
    if (asciiDigits === '') return;
    for (const char of asciiDigits) {
      tokens.push({ kind: 'digit', value: BigInt(char), chinese: false });
    }
    asciiDigits = '';
  };
  for (const char of run) {
    const fullWidth = char.codePointAt(0)! - 0xff10;
    if (char >= '0' && char <= '9') {
      asciiDigits += char;
      continue;
    }
    if (fullWidth >= 0 && fullWidth <= 9) {
      asciiDigits += String(fullWidth);
      continue;
    }
    flushAscii();
    const digit = DIGIT_VALUES.get(char);
    if (digit !== undefined) {
      tokens.push({ kind: 'digit', value: BigInt(digit), chinese: true });
      continue;
    }
    const small = SMALL_UNITS.get(char);
    if (small !== undefined) {
      tokens.push({ kind: 'smallUnit', value: small });
      continue;
    }
    tokens.push({ kind: 'largeUnit', value: LARGE_UNITS.get(char)! });
  }
  flushAscii();
  return tokens;
}

/**
 * Value of a positional numeral, or null if it is not a well-formed number.
 * ASCII digit strings act as one multiplier (15萬 -> 150000); Chinese 零 only marks a gap.
 */
function positionalValue(tokens: readonly Token[]): bigint | null {
  const groups = mergeAsciiDigits(tokens);
  let total = 0n; // finished 億 groups
  let wan = 0n; // finished 萬 part of the current 億 group
  let section = 0n; // below 萬
  let digit: bigint | null = null;
  let digitIsChinese = false;
  let lastSmallUnit: bigint | null = null; // units in a section must fall: 千 > 百 > 十
  let lastUnit: bigint | null = null; // for 三萬五 = 35000: a final digit right after a unit
  let zeroSinceUnit = false;

  for (const token of groups) {
    if (token.kind === 'digit') {
      if (token.chinese && token.value === 0n) {
        zeroSinceUnit = true;
        continue;
      }
      if (digit !== null) return null; // 三四百: an estimate, not a number
      digit = token.value;
      digitIsChinese = token.chinese;
      continue;
    }
    if (token.kind === 'smallUnit') {
      if (lastSmallUnit !== null && token.value >= lastSmallUnit) return null;
      // 十 alone means one ten (十五); other units need a multiplier.
      const multiplier = digit ?? (token.value === 10n ? 1n : null);
      if (multiplier === null) return null;
      section += multiplier * token.value;
      lastSmallUnit = token.value;
    } else {
      const part = section + (digit ?? 0n);
      if (token.value === WAN) {
        if (part === 0n || wan !== 0n) return null;
        wan = part * WAN;
      } else {
        if (part === 0n && wan === 0n && total === 0n) return null;
        total = (total + wan + part) * YI;
        wan = 0n;
      }
      section = 0n;
      lastSmallUnit = null;
    }
    digit = null;
    lastUnit = token.value;
    zeroSinceUnit = false;
  }
  let tail = digit ?? 0n;
  if (digit !== null && digitIsChinese && lastUnit !== null && lastUnit > 10n && !zeroSinceUnit) tail = digit * (lastUnit / 10n);
  return total + wan + section + tail;
}

/** Joins consecutive ASCII digit tokens into one multi-digit value. */
function mergeAsciiDigits(tokens: readonly Token[]): Token[] {
  const merged: Token[] = [];
  for (const token of tokens) {
    const previous = merged[merged.length - 1];
    if (token.kind === 'digit' && !token.chinese && previous?.kind === 'digit' && !previous.chinese) {
      merged[merged.length - 1] = { ...previous, value: previous.value * 10n + token.value };
      continue;
    }
    merged.push(token);
  }
  return merged;
}
