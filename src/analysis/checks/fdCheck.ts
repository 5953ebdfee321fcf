import { countGrewCheck } from './countGrewCheck.js';

/** An unload must close every file descriptor the load opened. */
export const fdCheck = countGrewCheck('fd', 'openFds', ['open fd', 'open fds']);
