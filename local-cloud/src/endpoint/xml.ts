/**
 * Just enough XML for AWS's query protocols: escaped text and elements. Carriage returns are written
 * as `&#xD;` (as AWS does) because an XML parser turns a literal CR into LF, and a message body must
 * come back byte for byte.
 */
export const escapeXml = (text: string): string =>
  text.replace(/[&<>"'\r]/g, (char) => {
    switch (char) {
      case "&":
        return "&amp;";
      case "<":
        return "&lt;";
      case ">":
        return "&gt;";
      case '"':
        return "&quot;";
      case "'":
        return "&apos;";
      default:
        return "&#xD;";
    }
  });

/** `<name>inner</name>`; `inner` is XML already (escape text with escapeXml). */
export const xmlElement = (name: string, inner: string): string => `<${name}>${inner}</${name}>`;

export const XML_DECLARATION = '<?xml version="1.0"?>';
