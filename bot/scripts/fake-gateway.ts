// Starts a stand-in for the gateway with the test directory, for trying the bot on its own:
//   npx tsx scripts/fake-gateway.ts            (prints the URL to use as GATEWAY_URL)
// It answers searches, the list of places, sign-in, referrals and self-referrals. It accepts the
// made-up professional token it prints (the real gateway checks real signatures).
import { ACTIVITIES } from '../test/support/activities';
import { startFakeHub } from '../test/support/fake-hub';
import { gpToken } from '../test/support/tokens';

const gateway = await startFakeHub({ activities: ACTIVITIES, postcodes: { Dundee: 'DD1 4HN', Glasgow: 'G2 3AB', Oxford: 'OX1 1AA' } });
console.log(`Fake gateway with ${ACTIVITIES.length} activities: ${gateway.url}`);
console.log(`Start the bot with: GATEWAY_URL=${gateway.url} npx tsx src/index.ts`);
console.log(`A GP's sign-in token for it (valid for an hour):\n${gpToken()}`);
process.on('SIGINT', () => void gateway.close().then(() => process.exit(0)));
