import {
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreateKeysAndCertificateCommand,
  CreateThingCommand,
  UpdateCertificateCommand,
} from "@aws-sdk/client-iot";
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { connectMqttApiClient, type DeviceTlsCredentials, type MqttApiClient, messagesQueueUrl, sampleMessage } from "local-cloud";
import { eventually, useLocalCloud } from "local-cloud/testing";
import mqtt from "mqtt";

const local = useLocalCloud();
const REGION = "us-east-1";
let api: MqttApiClient;

const sqs = () => local.cloud().clients(REGION).sqs;
const brokerUrl = () => `mqtt://127.0.0.1:${local.cloud().aws.hub.portFor(REGION)}`;
const resource = (logicalId: string) => local.cloud().regions.get(REGION)?.resources.get(logicalId)?.physicalId as string;

/** Sends one message for `thingName` into the deployed queue and resolves with its id from the notification. */
const ingest = async (thingName: string, epochTime: number): Promise<string> => {
  const notified = api.nextMessageOn(`notification/${thingName}`, 20_000);
  await sqs().send(
    new SendMessageCommand({
      QueueUrl: messagesQueueUrl(local.cloud(), REGION),
      MessageBody: JSON.stringify(sampleMessage(thingName, epochTime)),
    }),
  );
  return String((await notified)["messageId"]);
};

beforeAll(async () => {
  api = await connectMqttApiClient(brokerUrl(), "testThing");
  await api.subscribe("notification/#");
});

afterAll(async () => {
  await api?.close();
});

describe("message ingestion + MQTT API on the local cloud (template.yaml, real MQTT client)", () => {
  it("the sample's walkthrough: message for testThing into the queue, then query, get, next and delete over MQTT", async () => {
    const first = await ingest("testThing", 1564669331);
    expect(first).toMatch(/^0000001564669331-\d{13}-[0-9a-f-]{36}$/);

    const query = await api.request("request/query/testThing");
    expect(query.topic).toMatch(/^response\/query\/testThing-[0-9a-f]{32}$/);
    expect(query.payload).toEqual({ newestMessageId: first, oldestMessageId: first, uuid: "testThing" });

    const get = await api.request(`request/get/testThing/${first}`);
    expect(get.payload).toEqual({ body: sampleMessage("testThing", 1564669331), messageId: first, uuid: "testThing" });

    expect((await api.request(`request/next/testThing/${first}`)).payload).toEqual({
      error: "No newer messages available",
      specifiedMessageId: first,
      uuid: "testThing",
    });
    const second = await ingest("testThing", 1564669400);
    expect((await api.request(`request/next/testThing/${first}`)).payload).toEqual({
      nextMessageId: second,
      specifiedMessageId: first,
      uuid: "testThing",
    });
    expect((await api.request(`request/prev/testThing/${second}`)).payload).toEqual({
      previousMessageId: first,
      specifiedMessageId: second,
      uuid: "testThing",
    });
    expect((await api.request("request/list/testThing", { limit: 1 })).payload).toEqual({
      messageIds: [first],
      nextCursor: first,
      uuid: "testThing",
    });

    expect((await api.request(`request/delete/testThing/${first}`)).payload).toEqual({ messageId: first, uuid: "testThing" });
    expect((await api.request("request/query/testThing")).payload).toEqual({
      newestMessageId: second,
      oldestMessageId: second,
      uuid: "testThing",
    });
    expect((await api.request(`request/delete/testThing/${second}`)).payload).toEqual({ messageId: second, uuid: "testThing" });
    expect((await api.request("request/query/testThing")).payload).toEqual({ error: "No messages available", uuid: "testThing" });
  });

  it("a batch of 10 with 2 poison messages: 8 stored, 2 in the DLQ once with their reason, no retry storm", async () => {
    const entries = Array.from({ length: 10 }, (_, n) => ({
      Id: `m${n}`,
      MessageBody:
        n === 2
          ? "not json at all"
          : n === 6
            ? JSON.stringify({ epochTime: "1767225606" })
            : JSON.stringify(sampleMessage(`poisonBatch${n}`, 1767225600 + n)),
    }));
    await sqs().send(new SendMessageBatchCommand({ QueueUrl: messagesQueueUrl(local.cloud(), REGION), Entries: entries }));
    const found = await eventually(
      async () =>
        (await Promise.all(entries.map((_, n) => api.request(`request/query/poisonBatch${n}`)))).filter(
          (answer) => answer.payload["newestMessageId"] !== undefined,
        ).length,
      (count) => count === 8,
    );
    expect(found).toBe(8);
    const dlqUrl = resource("MessagesDeadLetterQueue");
    const dead = await eventually(
      async () =>
        (
          await sqs().send(
            new ReceiveMessageCommand({
              QueueUrl: dlqUrl,
              MaxNumberOfMessages: 10,
              MessageAttributeNames: ["All"],
              WaitTimeSeconds: 1,
              VisibilityTimeout: 60,
            }),
          )
        ).Messages ?? [],
      (messages) => messages.length === 2,
    );
    expect(dead.map((message) => message.MessageAttributes?.["failureReason"]?.StringValue).sort()).toEqual([
      expect.stringMatching(/^InvalidEvent: body is not JSON/),
      "InvalidEvent: thingName: is missing",
    ]);
    const { Attributes } = await sqs().send(
      new GetQueueAttributesCommand({
        QueueUrl: messagesQueueUrl(local.cloud(), REGION),
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    expect(Attributes).toMatchObject({ ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" });
    const batches = local.activity.filter((line) => line.startsWith(`IngestMessagesFunction@${REGION} <- SQS`));
    expect(batches.length).toBeGreaterThan(0);
    expect(batches.every((line) => line.includes(", 0 failed"))).toBe(true);
  });

  it("never publishes for a token with +, #, / or $ (or none), and still answers the next good request", async () => {
    const watcher = await mqtt.connectAsync(brokerUrl(), { reconnectPeriod: 0 });
    const client = await mqtt.connectAsync(brokerUrl(), { reconnectPeriod: 0 });
    try {
      const seen: string[] = [];
      watcher.on("message", (topic) => seen.push(topic));
      await watcher.subscribeAsync(["#", "$aws/#"], { qos: 1 });
      for (const token of ["a+b", "+", "#", "a/#", "x/y", "$aws/things/testThing/shadow/update", "$SYS", "", "a".repeat(65)]) {
        await client.publishAsync("request/query/testThing", JSON.stringify({ token }), { qos: 1 });
      }
      await client.publishAsync("request/query/testThing", "{}", { qos: 1 });
      const good = await api.request("request/query/testThing");
      expect(good.payload).toEqual({ error: "No messages available", uuid: "testThing" });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(seen.filter((topic) => !topic.startsWith("request/") && !topic.startsWith("$aws/events/") && topic !== good.topic)).toEqual(
        [],
      );
    } finally {
      await client.endAsync();
      await watcher.endAsync();
    }
  });

  it("answers a bad request that has a usable token with an error payload on its own response topic", async () => {
    const answer = await api.request("request/get/testThing/bad$id");
    expect(answer.payload).toEqual({ error: "messageId must be 1 to 256 letters, digits, '_', '.', ':' or '-'", uuid: "testThing" });
  });

  it("over TLS with its own certificate, a device holds to MessageApiClientPolicy: its own uuid is answered, asking for another's disconnects it", async () => {
    const iot = local.cloud().clients(REGION).iot;
    const keys = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    await iot.send(new AttachPolicyCommand({ policyName: resource("MessageApiClientPolicy"), target: keys.certificateArn }));
    await iot.send(new CreateThingCommand({ thingName: "tlsThing" }));
    await iot.send(new AttachThingPrincipalCommand({ thingName: "tlsThing", principal: keys.certificateArn }));
    const credentials: DeviceTlsCredentials = {
      certificatePem: keys.certificatePem as string,
      privateKeyPem: keys.keyPair?.PrivateKey as string,
      caPem: await (await fetch(`${local.cloud().aws.url}/_local/iot/ca.pem`)).text(),
    };
    const tlsUrl = `mqtts://localhost:${local.cloud().aws.hub.tlsPortFor(REGION)}`;
    const device = await connectMqttApiClient(tlsUrl, "tlsThing", true, credentials);
    try {
      const first = await ingest("tlsThing", 1767225700);
      expect((await device.request("request/query/tlsThing")).payload).toEqual({
        newestMessageId: first,
        oldestMessageId: first,
        uuid: "tlsThing",
      });
    } finally {
      await device.close();
    }

    const tlsOptions = {
      clientId: "tlsThing",
      reconnectPeriod: 0,
      cert: credentials.certificatePem,
      key: credentials.privateKeyPem,
      ca: credentials.caPem,
    };
    const intruder = await mqtt.connectAsync(tlsUrl, tlsOptions);
    const closed = new Promise<void>((resolve) => intruder.once("close", () => resolve()));
    intruder.publish("request/query/testThing", JSON.stringify({ token: "tlsThing-intruder" }));
    await closed;
    intruder.end(true);
    expect(local.activity.join("\n")).toContain(
      "refused PUBLISH and disconnected the client, as AWS IoT does over MQTT 3.1.1: client 'tlsThing'",
    );

    await iot.send(new UpdateCertificateCommand({ certificateId: keys.certificateId, newStatus: "INACTIVE" }));
    await expect(mqtt.connectAsync(tlsUrl, tlsOptions, false)).rejects.toThrow("Couldn't connect to server");
  });
});
