import { writeFileSync } from "node:fs";
import type { BenchRow } from "./results";

/**
 * The results as a PNG for the README: one bar per row with a target, its ratio to the baseline or
 * limit, coloured by whether the target is met, with the target as a black tick. Drawn with
 * vega-lite -> vega (SVG) -> resvg (PNG), all from npm.
 */
export const renderChart = async (rows: readonly BenchRow[], path: string): Promise<void> => {
  const vega = await import("vega");
  // vega-lite's types resolve only under moduleResolution node16/bundler; its one function used here:
  const vegaLitePackage: string = "vega-lite";
  const vegaLite = (await import(vegaLitePackage)) as { compile: (spec: unknown) => { spec: import("vega").Spec } };
  const { Resvg } = await import("@resvg/resvg-js");
  const values = rows
    .filter((row) => row.target !== null)
    .map((row) => ({
      label: `${row.figure} vs ${row.against}`,
      ratio: Number(row.ratio.toFixed(3)),
      target: Number((row.target ?? "").replace(/[^\d.]/g, "")),
      verdict: row.met ? "target met" : "target missed",
      text: `${row.ratio.toFixed(2)}x (target ${row.target})`,
    }));
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: "npm run bench: ratio to the baseline or limit, measured side by side", fontSize: 14 },
    width: 520,
    background: "white",
    data: { values },
    encoding: { y: { field: "label", type: "nominal", sort: null, title: null, axis: { labelLimit: 720 } } },
    layer: [
      {
        mark: { type: "bar", height: 14 },
        encoding: {
          x: { field: "ratio", type: "quantitative", title: "ratio (x)", scale: { type: "sqrt" } },
          color: {
            field: "verdict",
            type: "nominal",
            scale: { domain: ["target met", "target missed"], range: ["#2e7d32", "#c62828"] },
            title: null,
          },
        },
      },
      { mark: { type: "tick", color: "black", thickness: 2, size: 20 }, encoding: { x: { field: "target", type: "quantitative" } } },
      {
        mark: { type: "text", align: "left", dx: 6, fontSize: 10 },
        encoding: { x: { field: "ratio", type: "quantitative" }, text: { field: "text" } },
      },
    ],
  };
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  const png = new Resvg(svg, { fitTo: { mode: "zoom", value: 2 }, font: { loadSystemFonts: true } }).render().asPng();
  writeFileSync(path, png);
};
