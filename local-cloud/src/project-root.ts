import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The SAM project the local cloud deploys: the nearest directory, from `start` upwards, that holds
 * both template.yaml and samconfig.toml. `npm start` runs from the project root; tests and scripts
 * may run from anywhere inside it.
 */
export const findProjectRoot = (start: string = process.cwd()): string => {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "template.yaml")) && existsSync(join(dir, "samconfig.toml"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no SAM project (template.yaml and samconfig.toml) found in ${start} or above it`);
  }
};
