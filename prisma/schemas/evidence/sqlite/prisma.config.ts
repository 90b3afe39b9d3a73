import { defineTargetConfig } from '../../../src/prisma-config';

export default defineTargetConfig('evidence', 'sqlite');
