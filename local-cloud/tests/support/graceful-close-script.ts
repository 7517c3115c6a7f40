/** Started by graceful-close.test.ts: DynamoDB Local plus the same Ctrl-C handling `npm start` installs. */
import { startDynamoDbLocal } from "../../src/dynamodb-local";
import { closeOnSignals } from "../../src/shutdown";

const main = async (): Promise<void> => {
  const dynamo = await startDynamoDbLocal();
  closeOnSignals(async () => {
    await dynamo.stop();
    console.log("closed gracefully");
  });
  console.log(`ready ${dynamo.port}`);
};

void main();
