import { type IotRoute, invalidRequest } from "./iot-call";

export interface MatchedRoute {
  readonly route: IotRoute;
  readonly labels: Record<string, string>;
}

const splitPath = (path: string): string[] => path.split("/").filter((segment) => segment !== "");

const decodeSegment = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw invalidRequest(`path segment ${segment} is not valid URL encoding`);
  }
};

/**
 * Finds the route for a method and URL-encoded path. Labels are decoded per segment, after
 * splitting, so an ARN label (`/attached-policies/arn%3Aaws...%2Fid`) stays one segment. Literal
 * segments win over labels, whatever order routes were listed in.
 */
export const matchRoute = (routes: readonly IotRoute[], method: string, path: string): MatchedRoute | undefined => {
  const segments = splitPath(path);
  let best: { match: MatchedRoute; literals: number } | undefined;
  for (const route of routes) {
    if (route.method !== method) continue;
    const template = splitPath(route.path);
    if (template.length !== segments.length) continue;
    const labels: Record<string, string> = {};
    let literals = 0;
    const matches = template.every((part, index) => {
      const segment = segments[index] as string;
      if (part.startsWith("{") && part.endsWith("}")) {
        labels[part.slice(1, -1)] = decodeSegment(segment);
        return true;
      }
      literals += 1;
      return part === segment;
    });
    if (matches && (!best || literals > best.literals)) best = { match: { route, labels }, literals };
  }
  return best?.match;
};
