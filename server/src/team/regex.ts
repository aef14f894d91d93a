// Regular expressions from team rule files, accepted only in a shape that cannot backtrack
// catastrophically: no backreferences, no lookaround, no quantified group that contains a quantifier or
// an alternation (`(a+)+`, `(a|aa)*`), at most three unbounded quantifiers, and a bounded length. Values
// longer than MAX_SUBJECT are not matched (the condition is unknown).

export const MAX_PATTERN = 300;
export const MAX_SUBJECT = 4096;
const MAX_UNBOUNDED = 3;

/** A compiled pattern, or the reason it is refused. */
export function safeRegExp(pattern: string, ignoreCase = false): RegExp | string {
  if (pattern.length > MAX_PATTERN) return `the pattern is longer than ${MAX_PATTERN} characters`;
  let re: RegExp;
  try {
    re = new RegExp(pattern, ignoreCase ? 'iu' : 'u');
  } catch (e) {
    return `not a valid regular expression: ${(e as Error).message}`;
  }
  // Scan the pattern: a stack of groups, each remembering whether it holds a quantifier or a `|`.
  const stack: Array<{ risky: boolean }> = [{ risky: false }];
  let unbounded = 0;
  let lastGroupRisky = false; // the group that just closed (a quantifier right after it applies to it)
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    const top = stack[stack.length - 1];
    if (c === '\\') {
      const n = pattern[i + 1];
      if (n && /[1-9]/.test(n)) return 'backreferences (\\1) are not allowed';
      if (n === 'k' && pattern[i + 2] === '<') return 'named backreferences (\\k<name>) are not allowed';
      i++;
      lastGroupRisky = false;
      continue;
    }
    if (c === '[') {
      // Skip a character class (escapes inside it included).
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      i = j;
      lastGroupRisky = false;
      continue;
    }
    if (c === '(') {
      if (pattern.startsWith('(?=', i) || pattern.startsWith('(?!', i) || pattern.startsWith('(?<=', i) || pattern.startsWith('(?<!', i)) return 'lookahead and lookbehind are not allowed';
      stack.push({ risky: false });
      lastGroupRisky = false;
      continue;
    }
    if (c === ')') {
      const g = stack.pop()!;
      lastGroupRisky = g.risky;
      if (g.risky) stack[stack.length - 1].risky = true;
      continue;
    }
    if (c === '|') {
      top.risky = true;
      lastGroupRisky = false;
      continue;
    }
    const quantifier = c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(,\d*)?\}/.test(pattern.slice(i)));
    if (quantifier) {
      let open = c === '*' || c === '+';
      if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i))!;
        open = m[2] !== undefined && m[3] === '';
        if (Number(m[1]) > 1000 || (m[3] && Number(m[3]) > 1000)) return 'repetition counts above 1000 are not allowed';
        i += m[0].length - 1;
      }
      if (lastGroupRisky && c !== '?') return 'a repeated group may not contain a quantifier or an alternation (it could backtrack catastrophically): rewrite it, e.g. (ab)+ instead of (a+b)+';
      if (open && ++unbounded > MAX_UNBOUNDED) return `at most ${MAX_UNBOUNDED} unbounded quantifiers (*, +, {n,}) are allowed`;
      if (pattern[i + 1] === '?' || pattern[i + 1] === '+') i++;
      top.risky = true;
      lastGroupRisky = false;
      continue;
    }
    lastGroupRisky = false;
  }
  return re;
}

/** Tests a value, or undefined when the value is too long to test. */
export function safeTest(re: RegExp, value: string): boolean | undefined {
  if (value.length > MAX_SUBJECT) return undefined;
  re.lastIndex = 0;
  return re.test(value);
}
