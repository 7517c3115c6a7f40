import { CreateTableCommand, DescribeTableCommand, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { useLocalAws } from "../../src/testing/local-aws-fixture";

const aws = useLocalAws(["us-east-1", "eu-west-1", "us-west-2"]);

beforeAll(async () => {
  await aws.dynamodb("us-east-1").send(
    new CreateTableCommand({
      TableName: "OnlyInUsEast1",
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
});

test("a table another region has: ResourceNotFoundException as DynamoDB sends it, naming where the table is", async () => {
  const elsewhere = {
    name: "ResourceNotFoundException",
    message: expect.stringMatching(/: table OnlyInUsEast1 does not exist in eu-west-1; it exists in us-east-1$/),
  };
  const client = aws.dynamodb("eu-west-1");
  await expect(client.send(new DescribeTableCommand({ TableName: "OnlyInUsEast1" }))).rejects.toMatchObject(elsewhere);
  await expect(client.send(new GetItemCommand({ TableName: "OnlyInUsEast1", Key: { id: { S: "a" } } }))).rejects.toMatchObject(elsewhere);
});

test("a table no region has: DynamoDB's answer unchanged", async () => {
  await expect(aws.dynamodb("eu-west-1").send(new DescribeTableCommand({ TableName: "Nowhere" }))).rejects.toMatchObject({
    name: "ResourceNotFoundException",
    message: expect.not.stringContaining("exists in"),
  });
});
