import { countGrewCheck } from './countGrewCheck.js';

/** An unload must join every thread the load or inference started. */
export const threadCheck = countGrewCheck('thread', 'threads', ['thread', 'threads']);
