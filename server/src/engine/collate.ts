// The order of `localeCompare` (the CLDR root collation) for names and ids, without ICU for the usual ones.
// The first collator, made by the first `localeCompare` call, loads ICU's collation data: about 5 ms of a
// CLI run. File names, rule ids and the like nearly always stay in the alphabet compared here.

/** `localeCompare`'s collator, made on first need: making one loads ICU's collation data (about 5 ms). */
let collator: Intl.Collator | undefined;

/**
 * Two strings (file names, rule ids) in the order of `localeCompare`. Strings of ASCII letters, digits,
 * `_`, `-` and `.` are compared without ICU: each of those characters has one primary weight, in the
 * order `_ - . 0-9 a-z` with both cases of a letter equal, so the first difference in that order
 * decides, a prefix sorts first, and between strings that differ only in case the first position where
 * they do decides (lowercase first). Any other character: the collator decides.
 */
export function compareNames(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let tertiary = 0;
  for (let i = 0; i < n; i++) {
    const x = nameRank(a.charCodeAt(i));
    const y = nameRank(b.charCodeAt(i));
    if (x < 0 || y < 0) return (collator ??= new Intl.Collator()).compare(a, b);
    if (x >> 1 !== y >> 1) return (x >> 1) - (y >> 1);
    if (!tertiary && x !== y) tertiary = x - y;
  }
  for (let i = n; i < a.length || i < b.length; i++) if (nameRank((i < a.length ? a : b).charCodeAt(i)) < 0) return (collator ??= new Intl.Collator()).compare(a, b);
  return a.length !== b.length ? a.length - b.length : tertiary;
}

/** A character's primary weight times two, plus one for an uppercase letter; -1 outside the fast alphabet. */
function nameRank(c: number): number {
  if (c >= 97 && c <= 122) return (c - 97 + 13) * 2;
  if (c >= 65 && c <= 90) return (c - 65 + 13) * 2 + 1;
  if (c >= 48 && c <= 57) return (c - 48 + 3) * 2;
  return c === 95 ? 0 : c === 45 ? 2 : c === 46 ? 4 : -1;
}

/**
 * `items` sorted by `compareNames` of their names. When every name is in the fast alphabet, each gets a
 * key whose plain string order is that order (the primary weights, then the cases) and the keys are
 * sorted natively, without calling back into JavaScript for each comparison.
 */
export function sortByName<T>(items: T[], name: (item: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) {
    const key = nameKey(name(item));
    if (key === undefined || byKey.has(key)) return items.sort((a, b) => compareNames(name(a), name(b)));
    byKey.set(key, item);
  }
  return [...byKey.keys()].sort().map((k) => byKey.get(k)!);
}

/** Primary weights as characters above U+0001, U+0001, then `a` or `b` (uppercase) per character. */
function nameKey(s: string): string | undefined {
  let primary = '';
  let cases = '';
  for (let i = 0; i < s.length; i++) {
    const r = nameRank(s.charCodeAt(i));
    if (r < 0) return undefined;
    primary += String.fromCharCode(0x21 + (r >> 1));
    cases += r & 1 ? 'b' : 'a';
  }
  return `${primary}\u0001${cases}`;
}

