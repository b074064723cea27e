/** One kind of credential we recognise, and the harmless prefix we may name in messages. */
interface SecretPattern {
  /** What a message may show instead of the secret (never more than its fixed prefix), e.g. `sk-…`. */
  label: (match: string) => string;
  pattern: RegExp;
  /** Extra check on the match, so prose that happens to share a prefix is not flagged. */
  looksRandom?: (match: string) => boolean;
}

const KNOWN_SK_PREFIX = /^sk-(?:proj-|svcacct-|admin-|ant-(?:api|admin)\d{2}-)/;

/**
 * An `sk-` match is a key when its body is long and holds a digit and a letter. A bare `sk-` (no known
 * provider prefix after it) must also have a long stretch without separators: prose joins short words.
 */
function randomKeyBody(match: string): boolean {
  const known = KNOWN_SK_PREFIX.exec(match);
  const body = match.slice(known ? known[0].length : 3);
  if (body.length < 20 || !/\d/.test(body) || !/[A-Za-z]/.test(body)) return false;
  return known !== null || Math.max(...body.split(/[-_]/).map((part) => part.length)) >= 12;
}

// Key characters must not sit right before a match: "risk-averse" holds "sk-" but is not a key.
const SECRET_PATTERNS: readonly SecretPattern[] = [
  { label: () => 'sk-…', pattern: /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{20,}/g, looksRandom: randomKeyBody },
  { label: (m) => `${m.slice(0, 4)}…`, pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9])/g },
  { label: () => 'github_pat_…', pattern: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{22,}/g },
  { label: (m) => `${m.slice(0, 4)}…`, pattern: /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,}/g },
  { label: (m) => `${m.slice(0, 5)}…`, pattern: /(?<![A-Za-z0-9_-])xox[abposr]-[A-Za-z0-9-]{10,}/g },
  { label: () => 'AIza…', pattern: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}/g },
  {
    // The whole block, so a redacted text keeps none of the key's lines.
    label: () => '-----BEGIN … PRIVATE KEY-----',
    pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|[\s\S]*)/g,
  },
];

/**
 * The fixed start of every pattern above, in one expression: most texts are checked many times a change (each
 * field, at each layer) and hold none of them, so one scan rules out all seven patterns.
 */
const ANY_PATTERN_START = /sk-|AKIA|ASIA|github_pat_|gh[pousr]_|xox[abposr]-|AIza|-----BEGIN /;

/** Every credential-looking stretch of `text`, with where it is and how to name it. */
function matches(text: string): { index: number; length: number; label: string }[] {
  if (!ANY_PATTERN_START.test(text)) return [];
  const found: { index: number; length: number; label: string }[] = [];
  for (const { label, pattern, looksRandom } of SECRET_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      if (!looksRandom || looksRandom(match[0])) found.push({ index: match.index, length: match[0].length, label: label(match[0]) });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

/** The label of the first credential `text` seems to hold (never the credential itself), or null. */
export function findSecret(text: string): string | null {
  return matches(text)[0]?.label ?? null;
}

/** `text` with every credential-looking stretch replaced by its label, so messages never repeat a key. */
export function redactSecrets(text: string): string {
  let result = '';
  let at = 0;
  for (const { index, length, label } of matches(text)) {
    if (index < at) continue; // overlapping matches: the first one already covers it
    result += text.slice(at, index) + label;
    at = index + length;
  }
  return result + text.slice(at);
}
