import type { LocalRequest } from "../endpoint/service";
import { escapeXml, XML_DECLARATION, xmlElement } from "../endpoint/xml";
import { decodeQueryInput, encodeMembers } from "./query-members";
import type { SqsCodec } from "./sqs-codec";
import { missingAction, SqsError } from "./sqs-errors";

const NAMESPACE = "http://queue.amazonaws.com/doc/2012-11-05/";
const FORM = "application/x-www-form-urlencoded";
/** A queue URL's path (`/{account}/{queue}`): the query protocol may name the queue by posting to its URL. */
const QUEUE_PATH = /^\/\d{12}\/[^/]+$/;
/** Actions whose model has no output: AWS answers them with ResponseMetadata only, no `<{Action}Result>`. */
const WITHOUT_RESULT = new Set([
  "AddPermission",
  "ChangeMessageVisibility",
  "DeleteMessage",
  "DeleteQueue",
  "PurgeQueue",
  "RemovePermission",
  "SetQueueAttributes",
  "TagQueue",
  "UntagQueue",
]);

const isForm = (request: LocalRequest): boolean => String(request.headers["content-type"] ?? "").startsWith(FORM);

/** Form parameters from the query string and, for a form POST, the body. */
const paramsOf = (request: LocalRequest): URLSearchParams => {
  const params = new URLSearchParams(request.query);
  if (isForm(request)) for (const [key, value] of new URLSearchParams(request.body.toString("utf8"))) params.append(key, value);
  return params;
};

const xmlResponse = (status: number, requestId: string, document: string) => ({
  status,
  headers: { "content-type": "text/xml", "x-amzn-requestid": requestId },
  body: XML_DECLARATION + document,
});

const responseMetadata = (requestId: string): string => xmlElement("ResponseMetadata", xmlElement("RequestId", escapeXml(requestId)));

/**
 * SQS's query protocol (Debian's AWS CLI v2, older SDKs): `Action=...&Version=2012-11-05` as form
 * parameters, lists and maps flattened (`query-members.ts`), XML answers in the 2012-11-05 namespace
 * and XML error documents with the query-protocol codes (`AWS.SimpleQueueService.NonExistentQueue`).
 */
export const sqsQueryCodec: SqsCodec = {
  accepts: (request) => isForm(request) || request.query.has("Action"),
  decode: (request) => {
    const params = paramsOf(request);
    const action = params.get("Action");
    if (!action) throw missingAction();
    const input = decodeQueryInput(action, params);
    if (input.QueueUrl === undefined && QUEUE_PATH.test(request.path)) input.QueueUrl = request.path;
    return { action, input };
  },
  encode: ({ action }, output, requestId) => {
    const result = WITHOUT_RESULT.has(action) ? "" : xmlElement(`${action}Result`, encodeMembers(output, action));
    return xmlResponse(
      200,
      requestId,
      `<${action}Response xmlns="${NAMESPACE}">${result}${responseMetadata(requestId)}</${action}Response>`,
    );
  },
  encodeError: (error, requestId) => {
    const code = error instanceof SqsError ? error.queryCode : error.code;
    const detail =
      xmlElement("Type", error.status >= 500 ? "Receiver" : "Sender") +
      xmlElement("Code", escapeXml(code)) +
      xmlElement("Message", escapeXml(error.message)) +
      "<Detail/>";
    return xmlResponse(
      error.status,
      requestId,
      `<ErrorResponse xmlns="${NAMESPACE}">${xmlElement("Error", detail)}${xmlElement("RequestId", escapeXml(requestId))}</ErrorResponse>`,
    );
  },
};
