// What a gateway's plan sends the subgraphs for bench/gateway.ts's three-subgraph query, written
// out by hand (a gateway's text differs only in operation names, aliases and spacing): the
// provider first, with the fields evidence @requires; then evidence and referral together, each
// with one `_entities` call for the whole page, whose representations are built from the
// provider's answer. Shared by subgraphs.ts (each part on its own) and floor-gateway.ts (the
// parts strung together with no GraphQL work).
export const PROVIDER_PART = `query ThreeSubgraphs($first:Int!){activities(first:$first){edges{node{__typename id name town activityTypes{code} conditions{code} organization{id}}}}}`;
export const EVIDENCE_PART = `query ThreeSubgraphs($representations:[_Any!]!){_entities(representations:$representations){...on Activity{evidence(first:1){headline}}}}`;
export const REFERRAL_PART = `query ThreeSubgraphs($representations:[_Any!]!){_entities(representations:$representations){...on Activity{referralCount}}}`;

/** An activity as PROVIDER_PART returns it. */
export interface ProviderNode {
  __typename: 'Activity';
  id: string;
  name: string;
  town: string | null;
  activityTypes: Array<{ code: string }>;
  conditions: Array<{ code: string }>;
  organization: { id: string };
}

/** What evidence is sent for each activity: its key and the fields it @requires. */
export const evidenceRepresentation = ({ __typename, id, activityTypes, conditions, organization }: ProviderNode) => ({
  __typename,
  id,
  activityTypes,
  conditions,
  organization,
});

/** What referral is sent for each activity: its key. */
export const referralRepresentation = ({ __typename, id }: ProviderNode) => ({ __typename, id });
