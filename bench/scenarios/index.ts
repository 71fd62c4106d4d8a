/** Every scenario, in issue 9's order. A new scenario is one module plus one line here. */
import type { Scenario } from '../lib/types.js';
import { coldStart } from './cold-start.js';
import { passThrough } from './pass-through.js';
import { massRefresh, remoteCalls, throttling } from './aws.js';
import { remoteCallsAzure } from './azure.js';
import { templateHeavy } from './template-heavy.js';

export const scenarios: readonly Scenario[] = [coldStart, remoteCalls, remoteCallsAzure, throttling, massRefresh, passThrough, templateHeavy];
