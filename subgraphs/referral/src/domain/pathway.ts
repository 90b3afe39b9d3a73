// The pathway: the hops a person took before reaching the provider, in order, as in the Scottish
// Ballet study (GP → community link worker → provider; consultant → specialist nurse → provider;
// third-sector organisation → provider; self-referral). The provider is always the last hop and
// is implied.
import { PROFESSIONS, type Profession } from '@sp/auth/identity';
import { userError } from '@sp/runtime/errors';
import { ReferralErrorCode } from './codes';

export const PATHWAY_HOPS = [...PROFESSIONS, 'SELF'] as const;
export type PathwayHop = (typeof PATHWAY_HOPS)[number];

const MAX_HOPS = 5;

/**
 * A professional's pathway: one to five professions, none repeated back to back, ending with the
 * referrer's own profession (they are the one sending it to the provider). Without one given,
 * the referrer alone.
 */
export function checkProfessionalPathway(hops: readonly PathwayHop[] | null | undefined, referrer: Profession): PathwayHop[] {
  if (hops === null || hops === undefined) return [referrer];
  const fail = (message: string) => {
    throw userError(ReferralErrorCode.INVALID_PATHWAY, message, { field: 'pathway' });
  };
  if (hops.length === 0 || hops.length > MAX_HOPS) fail(`A pathway has one to ${MAX_HOPS} hops before the provider.`);
  if (hops.includes('SELF')) fail('SELF is only for self-referrals.');
  if (hops.some((hop, index) => index > 0 && hops[index - 1] === hop)) fail('The same hop cannot appear twice in a row.');
  if (hops.at(-1) !== referrer) fail('The last hop before the provider must be the referrer’s own profession.');
  return [...hops];
}

export const SELF_PATHWAY: PathwayHop[] = ['SELF'];

export function pathwayToColumn(hops: readonly PathwayHop[]): string {
  return hops.join(',');
}

export function pathwayFromColumn(column: string): PathwayHop[] {
  return column.length === 0 ? [] : (column.split(',') as PathwayHop[]);
}
