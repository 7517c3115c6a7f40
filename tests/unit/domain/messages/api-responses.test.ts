import {
  deleteResponse,
  getResponse,
  listResponse,
  nextResponse,
  prevResponse,
  queryResponse,
} from "../../../../src/domain/messages/api-responses";

const ID = "1564669331-1564669332364-7d7efcff-bdcf-4d98-917e-d171d27cc0b4";
const NEXT = "1565034142-1565034143557-e93620fb-073c-479d-8234-1fc5bfa5155c";

/** JSON.stringify keeps insertion order: the payloads must read exactly as the sample's README shows them. */
describe("response payloads are the public sample's, byte for byte", () => {
  it.each([
    [
      queryResponse("testThing", { newest: NEXT, oldest: ID }),
      `{"newestMessageId":"${NEXT}","oldestMessageId":"${ID}","uuid":"testThing"}`,
    ],
    [queryResponse("testThing", undefined), '{"error":"No messages available","uuid":"testThing"}'],
    [
      getResponse("testThing", ID, { epochTime: "1564669331" }),
      `{"body":{"epochTime":"1564669331"},"messageId":"${ID}","uuid":"testThing"}`,
    ],
    [getResponse("testThing", ID, undefined), `{"error":"Message not available","messageId":"${ID}","uuid":"testThing"}`],
    [nextResponse("testThing", ID, NEXT), `{"nextMessageId":"${NEXT}","specifiedMessageId":"${ID}","uuid":"testThing"}`],
    [nextResponse("testThing", ID, undefined), `{"error":"No newer messages available","specifiedMessageId":"${ID}","uuid":"testThing"}`],
    [deleteResponse("testThing", ID), `{"messageId":"${ID}","uuid":"testThing"}`],
    [prevResponse("testThing", NEXT, ID), `{"previousMessageId":"${ID}","specifiedMessageId":"${NEXT}","uuid":"testThing"}`],
    [prevResponse("testThing", ID, undefined), `{"error":"No older messages available","specifiedMessageId":"${ID}","uuid":"testThing"}`],
    [listResponse("testThing", [ID], undefined), `{"messageIds":["${ID}"],"nextCursor":null,"uuid":"testThing"}`],
  ])("%j", (payload, json) => {
    expect(JSON.stringify(payload)).toBe(json);
  });
});
