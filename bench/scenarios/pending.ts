/**
 * Scenarios 2–4 need the AWS protocol test server (test/support/, written in the AWS work).
 * They are listed so the table shows them as skipped, with what each will measure; each becomes
 * its own module beside cold-start.ts when the server lands (plan: bench/README.md).
 */
import type { Scenario } from '../lib/types.js';

const needsAws = (number: number, id: string, title: string): Scenario => ({
  number,
  id,
  title,
  run: async () => ({ status: 'skipped', reason: 'needs the AWS Secrets Manager/SSM/STS test server (test/support/), not merged yet' }),
});

export const remoteCalls = needsAws(
  2,
  'remote-calls',
  'remote calls: 500 ExternalSecrets over 200 AWS secrets at 50 ms latency vs one sequential GetSecretValue per reference',
);
export const throttling = needsAws(3, 'throttling', 'throttling: scenario 2 with 30% of calls throttled');
export const massRefresh = needsAws(4, 'mass-refresh', 'mass hard refresh: 200 concurrent generate processes sharing one AWS identity');
