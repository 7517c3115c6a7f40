import { okAsync } from "neverthrow";
import type { MessageStore, PutOutcome } from "../../src/domain/messages/message-ports";
import type { StoredMessage } from "../../src/domain/messages/stored-message";

/**
 * The MessageStore port over a sorted in-memory list, with DynamoDB's ordering of string sort keys
 * (code unit order), so domain tests run without I/O. `refuse` makes chosen message ids come back
 * with a given outcome, as DynamoDB would for an item it refuses or leaves unprocessed.
 */
export const inMemoryMessageStore = (refuse: (item: StoredMessage) => PutOutcome | undefined = () => undefined) => {
  const items = new Map<string, StoredMessage>();
  const batches: number[] = [];
  const ofUuid = (uuid: string) =>
    [...items.values()]
      .filter((item) => item.uuid === uuid)
      .sort((a, b) => (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0));
  const store: MessageStore = {
    batchPut: (batch) => {
      batches.push(batch.length);
      return okAsync(
        batch.map((item): PutOutcome => {
          const refused = refuse(item);
          if (refused) return refused;
          items.set(`${item.uuid}/${item.messageId}`, item);
          return { kind: "stored" };
        }),
      );
    },
    newestAndOldest: (uuid) => {
      const list = ofUuid(uuid);
      return okAsync(list.length > 0 ? { newest: list[list.length - 1]!.messageId, oldest: list[0]!.messageId } : undefined);
    },
    get: (uuid, messageId) => okAsync(items.get(`${uuid}/${messageId}`)),
    adjacent: (uuid, messageId, direction) => {
      const list = ofUuid(uuid);
      const found =
        direction === "next"
          ? list.find((item) => item.messageId > messageId)
          : [...list].reverse().find((item) => item.messageId < messageId);
      return okAsync(found?.messageId);
    },
    delete: (uuid, messageId) => {
      items.delete(`${uuid}/${messageId}`);
      return okAsync(undefined);
    },
    listPage: (uuid, limit, cursor) => {
      const after = ofUuid(uuid).filter((item) => cursor === undefined || item.messageId > cursor);
      const page = after.slice(0, limit).map((item) => item.messageId);
      return okAsync({ messageIds: page, nextCursor: after.length > limit ? page[page.length - 1] : undefined });
    },
  };
  return { store, batches, items };
};
