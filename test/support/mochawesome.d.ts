declare module 'mochawesome/addContext' {
  /** Attaches a value to the current test in the mochawesome report. */
  export default function addContext(ctx: Mocha.Context, context: string | { title: string; value: unknown }): void;
}
