/**
 * The Go surface the page calls, typed from the bindings Wails generates from app.go
 * (`wailsjs/go/main/App.d.ts` and `wailsjs/go/models.ts`; regenerate them with `make bindings`,
 * `make test` fails when they are stale). The HTTP door serves the same methods (those
 * backend/surface marks Both) with the same arguments and results, so one set of types covers
 * both doors. A renamed Go method, a changed parameter list or a renamed JSON field fails `tsc`
 * wherever the page uses these types (see surface.check.ts).
 */
import type * as App from '../../wailsjs/go/main/App';

type Fn = (...args: never[]) => unknown;
type IsAny<T> = 0 extends 1 & T ? true : false;

/**
 * The JSON a generated model class carries: its fields, without its methods (the classes of
 * models.ts have `convertValues`, which plain objects from JSON do not).
 */
export type Data<T> =
  IsAny<T> extends true
    ? T
    : T extends Fn
      ? never
      : T extends readonly (infer E)[]
        ? Data<E>[]
        : T extends object
          ? { [K in keyof T as T[K] extends Fn ? never : K]: Data<T[K]> }
          : T;

/** Every bound method of the desktop door. */
export type Methods = typeof App;
export type MethodName = keyof Methods;
/** A method's positional arguments, as JSON data. */
export type Args<M extends MethodName> = DataTuple<Parameters<Methods[M]>>;
type DataTuple<P extends readonly unknown[]> = { [I in keyof P]: Data<P[I]> };
/** What a method resolves to, as JSON data. */
export type Result<M extends MethodName> = Data<Awaited<ReturnType<Methods[M]>>>;
