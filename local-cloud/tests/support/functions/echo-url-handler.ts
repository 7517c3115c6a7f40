/**
 * A function behind a URL for the function URL contract tests: `?shape=raw` returns a plain object
 * (Lambda answers it as a 200 JSON body), `?fail=1` throws, anything else answers 201 with the event
 * it received as the body and a header and cookie of its own.
 */
interface UrlEvent {
  readonly rawQueryString: string;
}

export const handler = async (event: UrlEvent): Promise<unknown> => {
  const query = new URLSearchParams(event.rawQueryString);
  if (query.get("fail") === "1") throw new Error("asked to fail");
  if (query.get("shape") === "raw") return { plain: true };
  return {
    statusCode: 201,
    headers: { "X-Echo": "yes" },
    cookies: ["session=abc"],
    body: JSON.stringify(event),
  };
};
