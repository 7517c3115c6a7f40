/**
 * `npm run scale-model`: prints the tables of docs/scale.md, computed from docs/scale-inputs.json.
 * `npm run scale-model -- --write` rewrites the generated section of docs/scale.md with them.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { withGeneratedSection } from "./scale/doc-section";
import { readScaleInputs } from "./scale/inputs";
import { renderScaleTables } from "./scale/render";

const USAGE = "usage: npm run scale-model [-- --write]";
const root = join(__dirname, "..");
const inputsPath = join(root, "docs", "scale-inputs.json");
const docPath = join(root, "docs", "scale.md");

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`docs/scale-inputs.json is not JSON: ${(error as Error).message}`);
  }
};

const main = (args: readonly string[]): void => {
  const unknown = args.filter((arg) => arg !== "--write");
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown[0]}; ${USAGE}`);
  const tables = renderScaleTables(readScaleInputs(parseJson(readFileSync(inputsPath, "utf8"))));
  if (!args.includes("--write")) {
    process.stdout.write(`${tables}\n`);
    return;
  }
  writeFileSync(docPath, withGeneratedSection(readFileSync(docPath, "utf8"), tables));
  process.stdout.write("docs/scale.md: generated section rewritten from docs/scale-inputs.json\n");
};

try {
  main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`scale-model: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
