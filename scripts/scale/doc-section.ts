/**
 * The generated section of docs/scale.md: the text between two markers, which only
 * `npm run scale-model -- --write` writes. The prose around it is the doc's own.
 */

export const BEGIN_MARKER =
  "<!-- scale-model:begin (generated from docs/scale-inputs.json by `npm run scale-model -- --write`; do not edit by hand) -->";
export const END_MARKER = "<!-- scale-model:end -->";

/** The section between the markers, or an error naming the missing marker. */
export const generatedSectionOf = (doc: string): string => {
  const begin = doc.indexOf(BEGIN_MARKER);
  if (begin < 0) throw new Error(`docs/scale.md: the marker ${BEGIN_MARKER} is missing`);
  const end = doc.indexOf(END_MARKER, begin);
  if (end < 0) throw new Error(`docs/scale.md: the marker ${END_MARKER} is missing after the begin marker`);
  return doc.slice(begin + BEGIN_MARKER.length, end).trim();
};

/** The doc with its generated section replaced by `tables`. */
export const withGeneratedSection = (doc: string, tables: string): string => {
  generatedSectionOf(doc);
  const begin = doc.indexOf(BEGIN_MARKER) + BEGIN_MARKER.length;
  const end = doc.indexOf(END_MARKER, begin);
  return `${doc.slice(0, begin)}\n\n${tables}\n\n${doc.slice(end)}`;
};
