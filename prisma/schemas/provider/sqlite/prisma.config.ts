import { defineTargetConfig } from '../../../src/prisma-config';

export default defineTargetConfig('provider', 'sqlite');
