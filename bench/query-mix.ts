// The benchmark's query mix: the evaluation set, the same with a typo each, and queries made from
// templates of what link workers, clinicians and the public type. Deterministic.
import { CONDITIONS, KINDS, randomSource, TOWNS } from './synthetic-directory';

function withTypo(query: string, random: ReturnType<typeof randomSource>): string {
  const words = query.split(' ');
  const longest = words.reduce((best, word, index) => (word.length > words[best]!.length ? index : best), 0);
  const word = words[longest]!;
  if (word.length < 5) return query;
  const at = 1 + Math.floor(random.next() * (word.length - 2));
  words[longest] = random.chance(0.5) ? word.slice(0, at) + word.slice(at + 1) : word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
  return words.join(' ');
}

export function queryMix(evaluationQueries: string[], count: number): string[] {
  const random = randomSource(7);
  const typeWords = KINDS.flatMap((kind) => [...kind.keywords, kind.names[0]!.toLowerCase()]);
  const conditionWords = ['parkinsons', 'PD', 'dementia', 'memory problems', 'MS', 'a stroke', 'copd', 'anxiety', 'low mood', 'arthritis', 'chronic pain', 'loneliness'];
  const towns = TOWNS.map(([town]) => town.toLowerCase());
  const templates: Array<() => string> = [
    () => `${random.pick(typeWords)} for ${random.pick(conditionWords)} in ${random.pick(towns)}`,
    () => `free ${random.pick(typeWords)} in ${random.pick(towns)}`,
    () => `${random.pick(typeWords)} near ${random.pick(towns)} on ${random.pick(['mondays', 'tuesdays', 'a wednesday', 'thursdays', 'fridays', 'the weekend'])}`,
    () => `something for my mum with ${random.pick(conditionWords)}`,
    () => `${random.pick(conditionWords)} support online`,
    () => `befriending by phone for a lonely older man in ${random.pick(towns)}`,
    () => `step free ${random.pick(typeWords)} ${random.pick(towns)}`,
    () => `chair based ${random.pick(typeWords)} for older people`,
    () => `${random.pick(typeWords)}`,
    () => `my patient has ${random.pick(conditionWords)} and can't get out much, anything in ${random.pick(towns)}?`,
    () => `free in ${random.pick(towns)}`,
    () => `${random.pick(CONDITIONS)[0].replace(/-/g, ' ')} group for a man aged ${60 + Math.floor(random.next() * 25)}`,
  ];
  const base = [...evaluationQueries, ...evaluationQueries.map((query) => withTypo(query, random))];
  const mix: string[] = [];
  for (let i = 0; i < count; i++) {
    const source = i % 3 === 0 ? random.pick(base) : random.pick(templates)();
    mix.push(i % 7 === 0 ? withTypo(source, random) : source);
  }
  return mix;
}

