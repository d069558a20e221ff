/**
 * Compile-time checks of the action registry (nothing runs; `tsc -b` checks this file). Each
 * `@ts-expect-error` marks code that must NOT compile: should the registry's type stop catching
 * that mistake, the directive is unused and `tsc` fails here.
 */
import { ACTIONS, type ActionRegistry } from './actions';
import type { Binding } from './keymap';

// A registry missing one handler (explore's selectNext) does not compile.
const { selectNext: _dropped, ...exploreWithoutOne } = ACTIONS.explore;
// @ts-expect-error -- property 'selectNext' is missing
export const missingHandler = { ...ACTIONS, explore: exploreWithoutOne } satisfies ActionRegistry;

// A handler for an action no context has does not compile either.
// @ts-expect-error -- 'selectSideways' does not exist in the explore context
export const unknownAction = { ...ACTIONS, explore: { ...ACTIONS.explore, selectSideways: () => {} } } satisfies ActionRegistry;

// A handler of a panel's context gets that panel's context object, not the editor's.
// @ts-expect-error -- the library's context object has no `apply`
export const wrongContext = { ...ACTIONS, library: { ...ACTIONS.library, libraryPrev: (l) => l.apply((s) => s) } } satisfies ActionRegistry;

// A binding's action must be one of its own context's.
// @ts-expect-error -- libraryPrev is not an explore action
export const misfiled: Binding = { context: 'explore', keys: ['q'], action: 'libraryPrev', help: '' };

// The registry itself type-checks as complete.
export const complete: ActionRegistry = ACTIONS;
