import type { Pace } from "../domain/pacing/pacer";

/** What an AWS SDK v3 client exposes for middleware (every client has it). */
interface WithMiddleware {
  readonly middlewareStack: {
    add(
      middleware: (
        next: (args: unknown) => Promise<unknown>,
        context: { readonly commandName?: string },
      ) => (args: unknown) => Promise<unknown>,
      options: { readonly step: "initialize"; readonly name: string },
    ): void;
  };
}

/**
 * Makes every call of `client` wait for its API's budget first (`CreateThingCommand` is paced as
 * `CreateThing`), so no code path that calls AWS IoT can forget to. The SDK's own retries of a call
 * that was throttled anyway are not paced again: they back off by themselves and are rare.
 */
export const pacedClient = <C extends object>(client: C, pace: Pace): C => {
  (client as unknown as WithMiddleware).middlewareStack.add(
    (next, context) => async (args) => {
      await pace((context.commandName ?? "").replace(/Command$/, ""));
      return next(args);
    },
    { step: "initialize", name: "apiCallPacing" },
  );
  return client;
};
