import { describe, expect, it } from 'vitest';
import { buildSchema, printSchema } from 'graphql';
import { apiSchemaFromSupergraph, diffSchemas, diffSupergraphs, formatSchemaChanges } from '../src/schema-diff';
import { composeSupergraph } from '../src/supergraph';
import { testSubgraphSchemas } from './support/test-subgraphs';

const BASELINE = /* GraphQL */ `
  type Query {
    activity(id: ID!): Activity
    activities(first: Int, area: String): [Activity!]!
    legacyListing: LegacyListing @deprecated(reason: "Use activities.")
    search(kind: SearchKind): [SearchResult!]!
  }
  type Activity {
    id: ID!
    name: String!
    cost: String @deprecated(reason: "Use costOptions.")
    costOptions: [String!]!
    format: Format
  }
  type LegacyListing {
    title: String
  }
  type Venue {
    name: String!
  }
  union SearchResult = Activity | Venue
  enum Format {
    IN_PERSON
    ONLINE
    PHONE @deprecated(reason: "Use ONLINE.")
  }
  enum SearchKind {
    ACTIVITY
    VENUE
  }
`;

/** The baseline with `edit` applied to its text: a quick way to write the next version. */
async function diffAfter(edit: (sdl: string) => string) {
  const next = edit(BASELINE);
  expect(next, 'the edit changed nothing').not.toBe(BASELINE);
  return diffSchemas(buildSchema(BASELINE), buildSchema(next));
}

const coordinates = (changes: ReadonlyArray<{ coordinate: string }>) => changes.map((change) => change.coordinate);

describe('diffSchemas', () => {
  it('fails on a removed field, naming Type.field', async () => {
    const diff = await diffAfter((sdl) => sdl.replace('    name: String!\n', ''));
    expect(coordinates(diff.breaking)).toEqual(['Activity.name']);
    expect(formatSchemaChanges(diff.breaking)).toMatch(/^ {2}- Activity\.name: .*'name' was removed/);
  });

  it('lets a field go that was deprecated first', async () => {
    const diff = await diffAfter((sdl) => sdl.replace('    cost: String @deprecated(reason: "Use costOptions.")\n', ''));
    expect(diff.breaking).toEqual([]);
    expect(coordinates(diff.allowedBreaking)).toEqual(['Activity.cost']);
  });

  it('allows adding a field, a type and an optional argument', async () => {
    const diff = await diffAfter((sdl) =>
      sdl
        .replace('    format: Format\n', '    format: Format\n    summary: String\n')
        .replace('activity(id: ID!)', 'activity(id: ID!, locale: String)')
        .replace('  type Venue {', '  type Organiser {\n    name: String!\n  }\n  type Venue {'),
    );
    expect(diff.breaking).toEqual([]);
    expect(diff.allowedBreaking).toEqual([]);
    expect(coordinates(diff.safe)).toEqual(expect.arrayContaining(['Activity.summary', 'Organiser']));
  });

  it('fails when an argument goes from nullable to non-null', async () => {
    const diff = await diffAfter((sdl) => sdl.replace('activities(first: Int,', 'activities(first: Int!,'));
    expect(coordinates(diff.breaking)).toEqual(['Query.activities.first']);
    expect(formatSchemaChanges(diff.breaking)).toContain("Query.activities.first: Type for argument 'first' on field 'Query.activities' changed from 'Int' to 'Int!'");
  });

  it('fails when a required argument is added, an argument removed, or a field changes type', async () => {
    const diff = await diffAfter((sdl) =>
      sdl
        .replace('activity(id: ID!)', 'activity(id: ID!, region: String!)')
        .replace('activities(first: Int, area: String)', 'activities(first: Int)')
        .replace('    format: Format\n', '    format: String\n'),
    );
    expect(coordinates(diff.breaking).sort()).toEqual(['Activity.format', 'Query.activities.area', 'Query.activity.region']);
  });

  it('fails on a removed enum value unless it was deprecated first', async () => {
    const removed = await diffAfter((sdl) => sdl.replace('    ONLINE\n', ''));
    expect(coordinates(removed.breaking)).toEqual(['Format.ONLINE']);

    const deprecated = await diffAfter((sdl) => sdl.replace('    PHONE @deprecated(reason: "Use ONLINE.")\n', ''));
    expect(deprecated.breaking).toEqual([]);
    expect(coordinates(deprecated.allowedBreaking)).toEqual(['Format.PHONE']);
  });

  it('lets a type go with the deprecated field that was the only way to it', async () => {
    const diff = await diffAfter((sdl) =>
      sdl
        .replace('    legacyListing: LegacyListing @deprecated(reason: "Use activities.")\n', '')
        .replace('  type LegacyListing {\n    title: String\n  }\n', ''),
    );
    expect(diff.breaking).toEqual([]);
    expect(coordinates(diff.allowedBreaking).sort()).toEqual(['LegacyListing', 'Query.legacyListing']);
  });

  it('fails when a type clients can still reach (through a union) is removed', async () => {
    const diff = await diffAfter((sdl) =>
      sdl.replace('union SearchResult = Activity | Venue', 'union SearchResult = Activity').replace('  type Venue {\n    name: String!\n  }\n', ''),
    );
    expect(coordinates(diff.breaking).sort()).toEqual(['SearchResult', 'Venue']);
  });

  it('counts deprecating as safe, so it can come first', async () => {
    const diff = await diffAfter((sdl) => sdl.replace('    name: String!\n', '    name: String! @deprecated(reason: "Use title.")\n'));
    expect(diff.breaking).toEqual([]);
    expect(diff.safe.length).toBeGreaterThan(0);
  });

  it('warns about, but lets through, a new enum value (dangerous)', async () => {
    const diff = await diffAfter((sdl) => sdl.replace('    VENUE\n', '    VENUE\n    ORGANISER\n'));
    expect(diff.breaking).toEqual([]);
    expect(coordinates(diff.dangerous)).toEqual(['SearchKind.ORGANISER']);
  });
});

describe('the API schema of a supergraph', () => {
  const supergraph = composeSupergraph(testSubgraphSchemas());

  it('has no federation machinery (join__, link__, federation directives)', () => {
    const printed = printSchema(apiSchemaFromSupergraph(supergraph));
    expect(supergraph).toMatch(/join__/);
    expect(printed).not.toMatch(/join__|link__|@key|@link|directive @/);
    expect(printed).toContain('type Activity {');
    expect(printed).toContain('referralCount: Int');
  });

  it('diffs two supergraphs by what clients can see', async () => {
    const [provider, ...rest] = testSubgraphSchemas();
    const withoutName = { ...provider!, sdl: provider!.sdl.replace('  name: String!\n', '') };
    const diff = await diffSupergraphs(supergraph, composeSupergraph([withoutName, ...rest]));
    expect(coordinates(diff.breaking)).toEqual(['Activity.name']);
    // A subgraph URL is not part of the API.
    const moved = testSubgraphSchemas({ provider: 'http://provider.internal/graphql' });
    const same = await diffSupergraphs(supergraph, composeSupergraph(moved));
    expect(same).toEqual({ breaking: [], allowedBreaking: [], dangerous: [], safe: [] });
  });
});
