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
