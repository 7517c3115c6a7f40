import type { LocalRequest, LocalResponse } from "../../../src/endpoint/service";
import { decodeQueryInput } from "../../../src/sqs/query-members";
import { createSqsService, type LocalSqsService } from "../../../src/sqs/sqs-service";

const FORM = "application/x-www-form-urlencoded; charset=utf-8";
const NS = 'xmlns="http://queue.amazonaws.com/doc/2012-11-05/"';

let ids = 0;
let service: LocalSqsService;
beforeEach(() => {
  ids = 0;
  service = createSqsService({ clock: () => 1_700_000_000_000, newId: () => `id-${++ids}`, baseUrl: "http://local" });
});
afterEach(() => service.close?.());

/** A request as the endpoint hands it over: form body, signed for sqs in us-east-1. */
const request = (params: Record<string, string>, overrides: Partial<LocalRequest> = {}): LocalRequest => ({
  method: "POST",
  path: "/",
  query: new URLSearchParams(),
  headers: { "content-type": FORM, host: "local" },
  body: Buffer.from(new URLSearchParams({ Version: "2012-11-05", ...params }).toString()),
  region: "us-east-1",
  service: "sqs",
  accessKeyId: "AKID",
  ...overrides,
});

const call = async (params: Record<string, string>, overrides?: Partial<LocalRequest>): Promise<LocalResponse & { xml: string }> => {
  const response = await service.handle(request(params, overrides));
  const xml = String(response.body).replace(/<RequestId>[^<]+<\/RequestId>/g, "<RequestId>*</RequestId>");
  return { ...response, xml };
};

describe("SQS query protocol: decoding flattened parameters into the JSON input shape", () => {
  it("maps, lists, nested entries and integers", () => {
    const params = new URLSearchParams({
      Action: "SendMessageBatch",
      Version: "2012-11-05",
      QueueUrl: "http://local/000000000000/q",
      "SendMessageBatchRequestEntry.2.Id": "b",
      "SendMessageBatchRequestEntry.2.MessageBody": "two",
      "SendMessageBatchRequestEntry.2.DelaySeconds": "5",
      "SendMessageBatchRequestEntry.1.Id": "a",
      "SendMessageBatchRequestEntry.1.MessageBody": "one",
      "SendMessageBatchRequestEntry.1.MessageAttribute.1.Name": "color",
      "SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType": "String",
      "SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue": "red",
    });
    expect(decodeQueryInput("SendMessageBatch", params)).toEqual({
      QueueUrl: "http://local/000000000000/q",
      Entries: [
        { Id: "a", MessageBody: "one", MessageAttributes: { color: { DataType: "String", StringValue: "red" } } },
        { Id: "b", MessageBody: "two", DelaySeconds: 5 },
      ],
    });
  });

  it("CreateQueue's Attribute.N and Tag.N become Attributes and tags; ReceiveMessage's names become lists", () => {
    const create = new URLSearchParams({ QueueName: "q", "Attribute.1.Name": "VisibilityTimeout", "Attribute.1.Value": "5" });
    create.append("Tag.1.Key", "team");
    create.append("Tag.1.Value", "iot");
    expect(decodeQueryInput("CreateQueue", create)).toEqual({
      QueueName: "q",
      Attributes: { VisibilityTimeout: "5" },
      tags: { team: "iot" },
    });
    const receive = new URLSearchParams({ "AttributeName.1": "All", "MessageAttributeName.1": "color", MaxNumberOfMessages: "10" });
    expect(decodeQueryInput("ReceiveMessage", receive)).toEqual({
      AttributeNames: ["All"],
      MessageAttributeNames: ["color"],
      MaxNumberOfMessages: 10,
    });
  });

  it("names the parameter that is malformed", () => {
    expect(() => decodeQueryInput("ReceiveMessage", new URLSearchParams({ WaitTimeSeconds: "soon" }))).toThrow(
      "Value soon for parameter WaitTimeSeconds is invalid. Reason: must be an integer.",
    );
    expect(() => decodeQueryInput("ReceiveMessage", new URLSearchParams({ "AttributeName.first": "All" }))).toThrow(
      "query parameter AttributeName.first is malformed",
    );
  });
});

describe("SQS query protocol: XML answers as AWS writes them", () => {
  it("CreateQueue, SendMessage and ReceiveMessage with attributes; a CR in a body survives", async () => {
    expect((await call({ Action: "CreateQueue", QueueName: "q" })).xml).toBe(
      `<?xml version="1.0"?><CreateQueueResponse ${NS}><CreateQueueResult><QueueUrl>http://local/000000000000/q</QueueUrl></CreateQueueResult>` +
        "<ResponseMetadata><RequestId>*</RequestId></ResponseMetadata></CreateQueueResponse>",
    );
    const sent = await call({
      Action: "SendMessage",
      QueueUrl: "http://local/000000000000/q",
      MessageBody: "a<b>&c\r\n",
      "MessageAttribute.1.Name": "color",
      "MessageAttribute.1.Value.DataType": "String",
      "MessageAttribute.1.Value.StringValue": "red",
    });
    expect(sent.headers?.["content-type"]).toBe("text/xml");
    expect(sent.xml).toMatch(/<SendMessageResult><MessageId>id-\d+<\/MessageId><MD5OfMessageBody>[0-9a-f]{32}<\/MD5OfMessageBody>/);
    const received = await call({
      Action: "ReceiveMessage",
      QueueUrl: "http://local/000000000000/q",
      "AttributeName.1": "SenderId",
      "MessageAttributeName.1": "All",
    });
    expect(received.xml).toMatch(
      new RegExp(
        "<ReceiveMessageResult><Message><MessageId>id-\\d+</MessageId><ReceiptHandle>[^<]+</ReceiptHandle><MD5OfBody>[0-9a-f]{32}</MD5OfBody>" +
          "<Body>a&lt;b&gt;&amp;c&#xD;\n</Body><Attribute><Name>SenderId</Name><Value>AKID</Value></Attribute>" +
          "<MD5OfMessageAttributes>[0-9a-f]{32}</MD5OfMessageAttributes>" +
          "<MessageAttribute><Name>color</Name><Value><DataType>String</DataType><StringValue>red</StringValue></Value></MessageAttribute>" +
          "</Message></ReceiveMessageResult>",
      ),
    );
  });

  it("actions without output answer ResponseMetadata only; an empty receive is an empty result", async () => {
    await call({ Action: "CreateQueue", QueueName: "q" });
    expect((await call({ Action: "PurgeQueue", QueueUrl: "http://local/000000000000/q" })).xml).toBe(
      `<?xml version="1.0"?><PurgeQueueResponse ${NS}><ResponseMetadata><RequestId>*</RequestId></ResponseMetadata></PurgeQueueResponse>`,
    );
    expect((await call({ Action: "ReceiveMessage", QueueUrl: "http://local/000000000000/q" })).xml).toContain(
      "<ReceiveMessageResult></ReceiveMessageResult>",
    );
  });

  it("batch results flatten entries and errors; the queue may be named by the request path", async () => {
    await call({ Action: "CreateQueue", QueueName: "q" });
    const deleted = await call(
      {
        Action: "DeleteMessageBatch",
        "DeleteMessageBatchRequestEntry.1.Id": "x",
        "DeleteMessageBatchRequestEntry.1.ReceiptHandle": "bogus",
      },
      { path: "/000000000000/q" },
    );
    expect(deleted.xml).toContain(
      "<DeleteMessageBatchResult><BatchResultErrorEntry><Id>x</Id><SenderFault>true</SenderFault><Code>ReceiptHandleIsInvalid</Code><Message>The input receipt handle &quot;bogus&quot; is not a valid receipt handle.</Message></BatchResultErrorEntry></DeleteMessageBatchResult>",
    );
  });
});

describe("SQS query protocol: XML errors with the query-protocol codes", () => {
  it("a missing queue is AWS.SimpleQueueService.NonExistentQueue", async () => {
    const missing = await call({ Action: "GetQueueUrl", QueueName: "nope" });
    expect(missing.status).toBe(400);
    expect(missing.xml).toBe(
      `<?xml version="1.0"?><ErrorResponse ${NS}><Error><Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code>` +
        "<Message>The specified queue does not exist.</Message><Detail/></Error><RequestId>*</RequestId></ErrorResponse>",
    );
  });

  it("names a missing Action, an invalid one, an unsupported one, and a request in neither protocol", async () => {
    expect((await call({})).xml).toContain("<Code>MissingAction</Code>");
    const invalid = await call({ Action: "ListTopics" });
    expect(invalid.status).toBe(400);
    expect(invalid.xml).toContain("<Code>InvalidAction</Code><Message>The action ListTopics is not valid for this endpoint.</Message>");
    expect((await call({ Action: "StartMessageMoveTask" })).xml).toContain(
      "<Message>sqs operation StartMessageMoveTask is not supported by the local cloud</Message>",
    );
    const neither = await service.handle(request({}, { headers: { "content-type": "text/plain" } }));
    expect(String(neither.body)).toContain("neither");
  });

  it("the JSON protocol still answers JSON, with the query code in x-amzn-query-error", async () => {
    const response = await service.handle(
      request(
        {},
        {
          headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.GetQueueUrl" },
          body: Buffer.from(JSON.stringify({ QueueName: "nope" })),
        },
      ),
    );
    expect(JSON.parse(String(response.body))).toMatchObject({ __type: "QueueDoesNotExist" });
    expect(response.headers?.["x-amzn-query-error"]).toBe("AWS.SimpleQueueService.NonExistentQueue;Sender");
    const unknown = await service.handle(
      request(
        {},
        { headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.ListTopics" }, body: Buffer.from("{}") },
      ),
    );
    expect(JSON.parse(String(unknown.body))).toMatchObject({ __type: "UnknownOperationException" });
    expect(unknown.headers?.["x-amzn-query-error"]).toBe("InvalidAction;Sender");
  });
});
