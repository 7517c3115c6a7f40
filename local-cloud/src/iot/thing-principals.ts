import { parseIotArn } from "./iot-arns";
import { type IotCall, type IotContext, type IotRoute, invalidRequest, label, notFound, queryInteger } from "./iot-call";
import { pageByKey, REGISTRY_PAGE } from "./paging";
import { requireThing } from "./things";

/** The principal travels in the `x-amzn-principal` header, as the SDK sends it. */
const principalHeader = (call: IotCall): string => {
  const value = call.headers["x-amzn-principal"];
  const principal = Array.isArray(value) ? value[0] : value;
  if (!principal) throw invalidRequest("principal is required");
  return principal;
};

/** A certificate principal must exist in this region; other principals (Cognito ids) are taken as given. */
const requireKnownPrincipal = (ctx: IotContext, principal: string): void => {
  const arn = parseIotArn(principal);
  if (arn?.kind === "cert" && !ctx.state.certificates.has(arn.name)) throw notFound(`Certificate ${arn.name} does not exist`);
};

/** Thing names a principal is attached to. */
export const thingsOfPrincipal = (ctx: IotContext, principal: string): string[] =>
  [...ctx.state.thingPrincipals.entries()].filter(([, principals]) => principals.has(principal)).map(([thingName]) => thingName);

const attachThingPrincipal = (call: IotCall): Record<string, unknown> => {
  const { ctx } = call;
  const thing = requireThing(ctx, label(call, "thingName"));
  const principal = principalHeader(call);
  requireKnownPrincipal(ctx, principal);
  const exclusive = call.query.get("thingPrincipalType") === "EXCLUSIVE_THING";
  const others = thingsOfPrincipal(ctx, principal).filter((name) => name !== thing.thingName);
  if (exclusive && others.length > 0)
    throw invalidRequest(`principal is already attached to thing ${others[0]}; it cannot be attached exclusively`);
  const principals = ctx.state.thingPrincipals.get(thing.thingName) ?? new Set<string>();
  principals.add(principal);
  ctx.state.thingPrincipals.set(thing.thingName, principals);
  return {};
};

const detachThingPrincipal = (call: IotCall): Record<string, unknown> => {
  const { ctx } = call;
  const thing = requireThing(ctx, label(call, "thingName"));
  const principal = principalHeader(call);
  const principals = ctx.state.thingPrincipals.get(thing.thingName);
  principals?.delete(principal);
  if (principals?.size === 0) ctx.state.thingPrincipals.delete(thing.thingName);
  return {};
};

const listThingPrincipals = (call: IotCall): Record<string, unknown> => {
  const thing = requireThing(call.ctx, label(call, "thingName"));
  const page = pageByKey([...(call.ctx.state.thingPrincipals.get(thing.thingName) ?? [])], (principal) => principal, {
    maxResults: queryInteger(call.query, "maxResults"),
    nextToken: call.query.get("nextToken"),
    ...REGISTRY_PAGE,
  });
  return { principals: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
};

const listPrincipalThings = (call: IotCall): Record<string, unknown> => {
  const principal = principalHeader(call);
  requireKnownPrincipal(call.ctx, principal);
  const page = pageByKey(thingsOfPrincipal(call.ctx, principal), (thingName) => thingName, {
    maxResults: queryInteger(call.query, "maxResults"),
    nextToken: call.query.get("nextToken"),
    ...REGISTRY_PAGE,
  });
  return { things: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
};

/** Which principals (certificates, ...) are attached to which things. */
export const thingPrincipalRoutes: readonly IotRoute[] = [
  { method: "PUT", path: "/things/{thingName}/principals", operation: "AttachThingPrincipal", handler: attachThingPrincipal },
  { method: "DELETE", path: "/things/{thingName}/principals", operation: "DetachThingPrincipal", handler: detachThingPrincipal },
  { method: "GET", path: "/things/{thingName}/principals", operation: "ListThingPrincipals", handler: listThingPrincipals },
  { method: "GET", path: "/principals/things", operation: "ListPrincipalThings", handler: listPrincipalThings },
];
