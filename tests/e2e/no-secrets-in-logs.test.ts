import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { messagesQueueUrl, runMessageApiDemo, runRegistryCaptureDemo } from "local-cloud";
import { eventually, useLocalCloud } from "local-cloud/testing";

/**
 * No log line carries a credential. Every execution environment of the local cloud gets its own random
 * session credentials in its environment variables, as Lambda hands them out; after the demos and a
 * poison message and a malformed API request (error paths log the most), none of those secrets may
 * appear in anything the functions wrote, nor in the local cloud's own activity log.
 */
const output: string[] = [];
const local = useLocalCloud({ functionOutput: (chunk) => output.push(chunk) });

test("an end-to-end run's logs hold none of the functions' credentials", async () => {
  const cloud = local.cloud();
  const quiet = () => undefined;
  await runRegistryCaptureDemo(cloud, quiet);
  await runMessageApiDemo(cloud, quiet);
  const region = cloud.envs[0]?.region ?? "us-east-1";
  await cloud.clients(region).sqs.send(new SendMessageCommand({ QueueUrl: messagesQueueUrl(cloud, region), MessageBody: "{not json" }));
  await cloud.aws.hub.publish(region, "request/query/bad$uuid", JSON.stringify({ token: "no-secrets-1" }));
  await eventually(
    async () => output.join(""),
    (written) => written.includes("body is not JSON") && written.includes("uuid must be"),
  );

  const secrets = [...cloud.regions.values()].flatMap((deployed) => [...deployed.functions.values()].flatMap((fn) => fn.issuedSecrets));
  expect(secrets.length).toBeGreaterThan(0);
  const written = [...output, ...local.activity].join("\n");
  expect(written.length).toBeGreaterThan(1000);
  expect(secrets.filter((secret) => written.includes(secret))).toEqual([]);
});
