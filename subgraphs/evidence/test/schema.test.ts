// The committed schema is what the code prints, and it composes with the provider's.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { composeSupergraph, DEFAULT_SUBGRAPH_URLS, loadSubgraphSchemas } from '@sp/gateway/supergraph';
import { printSubgraphSdl } from '@sp/runtime/subgraph';
import { evidenceSchema } from '../src/schema/index';

describe('the committed schema', () => {
  it('matches the schema the code prints (run `npm run print-schema` after changing types)', async () => {
    const committed = await readFile(new URL('../schema.graphql', import.meta.url), 'utf8');
    expect(printSubgraphSdl(evidenceSchema)).toBe(committed);
  });

  it('composes with the provider subgraph, Activity.evidence requiring the activity’s terms and organisation', async () => {
    const schemas = await loadSubgraphSchemas(undefined, { provider: DEFAULT_SUBGRAPH_URLS.provider, evidence: DEFAULT_SUBGRAPH_URLS.evidence });
    const supergraph = composeSupergraph(schemas);
    expect(supergraph).toContain('requires: "activityTypes{code}conditions{code}organization{id}"');
  });
});
