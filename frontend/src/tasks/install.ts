/**
 * Imported first by main.tsx, before React: see `installSetImmediate`. A module of its own
 * because imports are evaluated before the body of the module that imports them.
 */
import { installSetImmediate } from './tasks';

installSetImmediate();
