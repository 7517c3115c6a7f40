/** Where a function's code lives in the source tree, so that the local cloud can import it directly. */
export interface HandlerLocation {
  /** The TypeScript entry point, relative to the project root, e.g. "src/handlers/capture-registry-event.ts". */
  readonly entryPoint: string;
  /** The exported function the handler names, e.g. "handler". */
  readonly exportName: string;
}

const withoutExtension = (path: string): string => path.replace(/\.[cm]?[jt]sx?$/, "");

/**
 * Finds the source file and export behind a function's `Handler`, using the esbuild entry points of
 * `Metadata.BuildProperties.EntryPoints`: esbuild emits each entry point as `<basename>.js`, so
 * `Handler: capture-registry-event.handler` names the entry point whose file (without extension)
 * is `capture-registry-event`. The local cloud runs that TypeScript file, not a build artifact.
 * No match, or more than one, is an error naming the function.
 */
export const locateHandler = (logicalId: string, handler: unknown, metadata: Readonly<Record<string, unknown>>): HandlerLocation => {
  if (typeof handler !== "string" || handler.lastIndexOf(".") <= 0) {
    throw new Error(`${logicalId}: Handler must be "<file>.<export>", got ${JSON.stringify(handler)}`);
  }
  const file = handler.slice(0, handler.lastIndexOf("."));
  const exportName = handler.slice(handler.lastIndexOf(".") + 1);
  const buildProperties = metadata.BuildProperties;
  const entryPoints =
    typeof buildProperties === "object" && buildProperties !== null ? (buildProperties as Record<string, unknown>).EntryPoints : undefined;
  if (!Array.isArray(entryPoints) || entryPoints.some((entry) => typeof entry !== "string")) {
    throw new Error(`${logicalId}: Metadata.BuildProperties.EntryPoints must list the function's source files`);
  }
  const normalizedFile = file.replace(/^\.\//, "");
  const matches = (entryPoints as string[]).filter((entry) => {
    const stem = withoutExtension(entry.replace(/^\.\//, ""));
    return stem === normalizedFile || stem.endsWith(`/${normalizedFile}`);
  });
  if (matches.length !== 1) {
    throw new Error(
      `${logicalId}: Handler "${handler}" must match exactly one of EntryPoints ${JSON.stringify(entryPoints)}, matched ${matches.length}`,
    );
  }
  return { entryPoint: (matches[0] as string).replace(/^\.\//, ""), exportName };
};
