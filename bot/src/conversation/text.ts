/**
 * Lower-case, accents and apostrophes removed, anything that is not a letter or digit turned
 * into a single space: "Parkinson’s, Dundee!" → "parkinsons dundee". Queries and directory
 * text go through the same function so they meet on equal terms.
 */
export function normalise(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’‘`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function words(normalised: string): string[] {
  return normalised.length === 0 ? [] : normalised.split(' ');
}

/** True when `phrase` occurs in `normalised` as whole words. */
export function containsPhrase(normalised: string, phrase: string): boolean {
  return ` ${normalised} `.includes(` ${phrase} `);
}

/** Replaces every whole-word occurrence of `phrase` with `replacement`. */
export function replacePhrase(normalised: string, phrase: string, replacement: string): string {
  const escaped = phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`(?<=^| )${escaped}(?= |$)`, 'g');
  return normalised.replace(pattern, replacement).replace(/ +/g, ' ').trim();
}

/** Edit distance, for recognising a misspelt place name among a few hundred. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
