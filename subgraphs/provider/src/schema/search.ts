import { queryFromInfo } from '@pothos/plugin-prisma';
import type { Activity } from '@sp/prisma/provider';
import { ErrorCode, userError } from '@sp/runtime/errors';
import { builder } from '../builder';
import { buildActivityWhere, resolvePlace } from '../directory/filter';
import type { ResolvedActivityFilter } from '../search/index';
import { ActivityFilterInput, ActivityType } from './activity';

const MAX_QUERY_LENGTH = 500;
const MAX_FIRST = 50;

interface SearchHitShape {
  activity: Activity;
  score: number;
  reasons: string[];
}

const ActivitySearchHit = builder.objectRef<SearchHitShape>('ActivitySearchHit');
ActivitySearchHit.implement({
  description: 'An activity found by searchActivities, with how well it matches and why.',
  fields: (t) => ({
    activity: t.field({ type: ActivityType, resolve: (hit) => hit.activity }),
    score: t.exposeFloat('score', {
      description: 'From 0 to 1: how much of what was asked the activity offers, lowered (×0.7) when it has no places left.',
    }),
    reasons: t.exposeStringList('reasons', {
      description: 'Why it matched, in plain words: "Free", "Step-free access", "For people with Parkinson\'s", "Tuesdays 2pm in Dundee".',
    }),
  }),
});

builder.queryField('searchActivities', (t) =>
  t.field({
    type: [ActivitySearchHit],
    description:
      'Finds activities from what someone typed ("dance class for my patient with parkinsons in dundee", "free befriending for a lonely older man"), typos included. ' +
      'Places, cost, delivery, access, age and days in the sentence are understood; `filter` narrows strictly. Best match first.',
    args: {
      query: t.arg.string({ required: true, description: 'What the person is looking for, in their own words (at most 500 characters).' }),
      filter: t.arg({ type: ActivityFilterInput, description: 'Strict limits, as for the activities query.' }),
      first: t.arg.int({ defaultValue: 10, description: 'How many hits to return, 1 to 50.' }),
    },
    resolve: async (_root, args, context, info) => {
      const query = args.query.trim();
      if (!query) throw userError(ErrorCode.BAD_USER_INPUT, 'Type what you are looking for, such as "dance for Parkinson\'s in Dundee".', { field: 'query' });
      if (query.length > MAX_QUERY_LENGTH) {
        throw userError(ErrorCode.BAD_USER_INPUT, `The search is too long: please keep it under ${MAX_QUERY_LENGTH} characters.`, { field: 'query' });
      }
      const first = args.first ?? 10;
      if (!Number.isInteger(first) || first < 1 || first > MAX_FIRST) {
        throw userError(ErrorCode.BAD_USER_INPUT, `first must be between 1 and ${MAX_FIRST}.`, { field: 'first' });
      }

      let filter: ResolvedActivityFilter | null = null;
      if (args.filter) {
        // The same validation, and the same errors, as the activities query.
        await buildActivityWhere(context.db, args.filter);
        const { place, ...rest } = args.filter;
        filter = { ...rest, place: place && place.trim() ? await resolvePlace(context.db, place) : null };
      }

      await context.search.whenReady();
      const outcome = context.search.search(query, { first, filter });
      if (outcome.hits.length === 0) return [];

      // One query for every hit's activity, selecting what the client asked for; rank order kept.
      // By id only: with a status condition too, SQLite prefers the status index and reads every
      // active listing. A listing closed since the index last looked is dropped here instead.
      const rows = await context.db.activity.findMany({
        ...queryFromInfo({ context, info, path: ['activity'] }),
        where: { id: { in: outcome.hits.map((hit) => hit.id) } },
      });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return outcome.hits.flatMap((hit) => {
        const activity = byId.get(hit.id);
        return activity && activity.status === 'ACTIVE' ? [{ activity, score: hit.score, reasons: hit.reasons }] : [];
      });
    },
  }),
);
