// Starts a stand-in for the gateway with the test directory, for trying the bot on its own:
//   npx tsx scripts/fake-gateway.ts            (prints the URL to use as GATEWAY_URL)
import { ACTIVITIES } from '../test/support/activities';
import { startFakeGateway } from '../test/support/fake-gateway';

const gateway = await startFakeGateway({ activities: ACTIVITIES });
console.log(`Fake gateway with ${ACTIVITIES.length} activities: ${gateway.url}`);
console.log(`Start the bot with: GATEWAY_URL=${gateway.url} npx tsx src/index.ts`);
process.on('SIGINT', () => void gateway.close().then(() => process.exit(0)));
