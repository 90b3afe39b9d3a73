import { defineTargetConfig } from '../../../src/prisma-config';

export default defineTargetConfig('referral', 'postgresql');
