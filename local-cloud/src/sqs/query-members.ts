import { AwsError } from "../endpoint/aws-error";
import { escapeXml, xmlElement } from "../endpoint/xml";
import { invalidParameterValue } from "./sqs-errors";
import type { Json } from "./sqs-operations";

/**
 * How SQS's query protocol names the members that the JSON protocol carries as lists and maps: each
 * item is its own parameter or element under a singular name (`AttributeName.1`, `<QueueUrl>` per
 * URL), and a map entry is a pair of names (`Attribute.1.Name` / `Attribute.1.Value`). One table,
 * read both ways: decoding form parameters and encoding XML results. From the SQS 2012-11-05 model's
 * `locationName` / `flattened` traits.
 */
interface FlattenedMember {
  readonly json: string;
  readonly query: string;
  /** For a map: the names of an entry's key and value. */
  readonly entry?: readonly [key: string, value: string];
}

const FLATTENED: readonly FlattenedMember[] = [
  { json: "Attributes", query: "Attribute", entry: ["Name", "Value"] },
  { json: "MessageAttributes", query: "MessageAttribute", entry: ["Name", "Value"] },
  { json: "MessageSystemAttributes", query: "MessageSystemAttribute", entry: ["Name", "Value"] },
  { json: "Tags", query: "Tag", entry: ["Key", "Value"] },
  { json: "AttributeNames", query: "AttributeName" },
  { json: "MessageAttributeNames", query: "MessageAttributeName" },
  { json: "MessageSystemAttributeNames", query: "MessageSystemAttributeName" },
  { json: "TagKeys", query: "TagKey" },
  { json: "QueueUrls", query: "QueueUrl" },
  { json: "Messages", query: "Message" },
  { json: "Failed", query: "BatchResultErrorEntry" },
  { json: "StringListValues", query: "StringListValue" },
  { json: "BinaryListValues", query: "BinaryListValue" },
];

/** Members whose JSON name differs by operation: batch entries are named after the action. */
const perAction = (action: string): readonly FlattenedMember[] => [
  { json: "Entries", query: `${action}RequestEntry` },
  { json: "Successful", query: `${action}ResultEntry` },
  // The model names these two in lower case (CreateQueue's tags, ListDeadLetterSourceQueues' queueUrls).
  ...(action === "CreateQueue" ? [{ json: "tags", query: "Tag", entry: ["Key", "Value"] as const }] : []),
  ...(action === "ListDeadLetterSourceQueues" ? [{ json: "queueUrls", query: "QueueUrl" }] : []),
];

const INTEGER_MEMBERS = new Set(["DelaySeconds", "MaxNumberOfMessages", "VisibilityTimeout", "WaitTimeSeconds", "MaxResults"]);

/** Form parameters that frame a request rather than carry its input. */
const FRAMING = /^(Action|Version|AWSAccessKeyId|Signature|SignatureMethod|SignatureVersion|Timestamp|Expires|SecurityToken|X-Amz-.*)$/;

interface ParamNode {
  value?: string;
  readonly children: Map<string, ParamNode>;
}

const malformed = (key: string, reason: string): AwsError =>
  new AwsError("MalformedQueryString", `query parameter ${key} is malformed: ${reason}`, 400);

const toTree = (params: URLSearchParams): ParamNode => {
  const root: ParamNode = { children: new Map() };
  for (const [key, value] of params) {
    if (FRAMING.test(key)) continue;
    let node = root;
    for (const part of key.split(".")) {
      if (part === "") throw malformed(key, "empty name segment");
      const child = node.children.get(part) ?? { children: new Map() };
      node.children.set(part, child);
      node = child;
    }
    node.value = value;
  }
  return root;
};

/** The items of a flattened member (`Name.1`, `Name.2`, ...) in index order. */
const itemsOf = (name: string, node: ParamNode): ParamNode[] =>
  [...node.children.entries()]
    .map(([index, item]) => {
      if (!/^[1-9]\d*$/.test(index)) throw malformed(`${name}.${index}`, "a list or map item needs an index 1, 2, ...");
      return [Number(index), item] as const;
    })
    .sort(([a], [b]) => a - b)
    .map(([, item]) => item);

const scalar = (name: string, node: ParamNode): string | number => {
  const value = node.value ?? "";
  if (!INTEGER_MEMBERS.has(name)) return value;
  if (!/^-?\d+$/.test(value)) throw invalidParameterValue(`Value ${value} for parameter ${name} is invalid. Reason: must be an integer.`);
  return Number(value);
};

const decodeNode = (name: string, node: ParamNode, action: string): unknown =>
  node.children.size > 0 ? decodeStructure(node, action) : scalar(name, node);

const decodeStructure = (node: ParamNode, action: string): Json => {
  const members = [...perAction(action), ...FLATTENED];
  const result: Json = {};
  for (const [name, child] of node.children) {
    // A parameter without indexed items is a plain member: `QueueUrl=...` is not an item of the output's QueueUrls.
    const flattened = child.children.size > 0 ? members.find((member) => member.query === name) : undefined;
    if (!flattened) {
      result[name] = decodeNode(name, child, action);
      continue;
    }
    const items = itemsOf(name, child);
    if (!flattened.entry) {
      result[flattened.json] = items.map((item) => decodeNode(name, item, action));
      continue;
    }
    const [keyName, valueName] = flattened.entry;
    const map: Json = {};
    for (const item of items) {
      const key = item.children.get(keyName)?.value;
      const value = item.children.get(valueName);
      if (key === undefined || value === undefined) throw malformed(name, `every entry needs ${keyName} and ${valueName}`);
      map[key] = decodeNode(valueName, value, action);
    }
    result[flattened.json] = map;
  }
  return result;
};

/** Decodes an action's form parameters into the JSON protocol's input shape. */
export const decodeQueryInput = (action: string, params: URLSearchParams): Json => decodeStructure(toTree(params), action);

const encodeValue = (name: string, value: unknown, action: string): string => {
  if (value === undefined || value === null) return "";
  if (typeof value === "object") return xmlElement(name, encodeMembers(value as Json, action));
  return xmlElement(name, escapeXml(String(value)));
};

/** Encodes a JSON-shaped output (or part of it) as the elements of the query protocol's XML. */
export const encodeMembers = (output: Json, action: string): string => {
  const members = [...perAction(action), ...FLATTENED];
  let xml = "";
  for (const [name, value] of Object.entries(output)) {
    const flattened = members.find((member) => member.json === name);
    if (!flattened || value === undefined || value === null) {
      xml += encodeValue(name, value, action);
    } else if (Array.isArray(value)) {
      for (const item of value) xml += encodeValue(flattened.query, item, action);
    } else {
      const [keyName, valueName] = flattened.entry ?? ["Name", "Value"];
      for (const [key, entryValue] of Object.entries(value as Json)) {
        xml += xmlElement(flattened.query, encodeValue(keyName, key, action) + encodeValue(valueName, entryValue, action));
      }
    }
  }
  return xml;
};
