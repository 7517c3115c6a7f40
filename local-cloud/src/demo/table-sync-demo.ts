import { DeleteItemCommand, GetItemCommand, PutItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import type { LocalCloud } from "../local-cloud";
import { MUSIC_COLLECTION_SOURCE_REGION, MUSIC_COLLECTION_TARGET_REGION } from "../walkthrough/music-collection";

const TABLE = "MusicCollection";
const KEY = { Artist: { S: "No One You Know" }, SongTitle: { S: "Call Me Today" } };

/** Polls until `condition` holds; resolves with the time since `since`. */
const waitFor = async (condition: () => Promise<boolean>, since: number, timeoutMs: number, what: string): Promise<number> => {
  while (Date.now() - since < timeoutMs) {
    if (await condition()) return Date.now() - since;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`table sync demo: ${what} not seen in ${MUSIC_COLLECTION_TARGET_REGION} within ${timeoutMs} ms`);
};

/**
 * The table sync demo of `npm start`, the public sample's walkthrough: a put, an update and a delete
 * of one item in us-east-1's MusicCollection, each read back from the same table in cn-northwest-1
 * (another partition, its own keys), where only the sync stack can have written it
 * (table stream -> forwarder -> SQS FIFO -> writer with the target keys from SSM).
 */
export const runTableSyncDemo = async (cloud: LocalCloud, print: (line: string) => void): Promise<void> => {
  const source = cloud.clients(MUSIC_COLLECTION_SOURCE_REGION).dynamodb;
  const target = cloud.clients(MUSIC_COLLECTION_TARGET_REGION).dynamodb;
  const targetItem = async () => (await target.send(new GetItemCommand({ TableName: TABLE, Key: KEY, ConsistentRead: true }))).Item;
  print(`demo: table sync ${TABLE} ${MUSIC_COLLECTION_SOURCE_REGION} -> ${MUSIC_COLLECTION_TARGET_REGION} (aws-cn partition)`);

  let changedAt = Date.now();
  await source.send(new PutItemCommand({ TableName: TABLE, Item: { ...KEY, AlbumTitle: { S: "Somewhat Famous" } } }));
  let elapsed = await waitFor(async () => (await targetItem())?.["AlbumTitle"]?.S === "Somewhat Famous", changedAt, 20_000, "the put");
  print(`  put "Call Me Today" in ${MUSIC_COLLECTION_SOURCE_REGION}: in ${MUSIC_COLLECTION_TARGET_REGION} after ${elapsed} ms`);

  changedAt = Date.now();
  await source.send(
    new UpdateItemCommand({
      TableName: TABLE,
      Key: KEY,
      UpdateExpression: "SET AlbumTitle = :album, Awards = :awards",
      ExpressionAttributeValues: { ":album": { S: "Louder Than Ever" }, ":awards": { N: "10" } },
    }),
  );
  elapsed = await waitFor(async () => (await targetItem())?.["AlbumTitle"]?.S === "Louder Than Ever", changedAt, 20_000, "the update");
  print(`  updated AlbumTitle and Awards: in ${MUSIC_COLLECTION_TARGET_REGION} after ${elapsed} ms`);

  changedAt = Date.now();
  await source.send(new DeleteItemCommand({ TableName: TABLE, Key: KEY }));
  elapsed = await waitFor(async () => (await targetItem()) === undefined, changedAt, 20_000, "the delete");
  print(`  deleted it: gone from ${MUSIC_COLLECTION_TARGET_REGION} after ${elapsed} ms`);
};
