import { defineTargetConfig } from '../../../src/prisma-config';

export default defineTargetConfig('provider', 'postgresql');
