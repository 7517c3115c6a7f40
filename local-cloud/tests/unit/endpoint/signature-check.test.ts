import { hasValidSignature } from "../../../src/endpoint/signature-check";

/** AWS's SigV4 test suite, case `get-vanilla` (secret `wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY`). */
const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const vanilla = (overrides: { rawUrl?: string; signature?: string; date?: string } = {}) => ({
  method: "GET",
  rawUrl: overrides.rawUrl ?? "/",
  headers: {
    host: "example.amazonaws.com",
    "x-amz-date": overrides.date ?? "20150830T123600Z",
    authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=${
      overrides.signature ?? "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
    }`,
  },
  body: Buffer.alloc(0),
});

describe("SigV4 signature check", () => {
  it("accepts the test suite's get-vanilla request with its secret", () => {
    expect(hasValidSignature(vanilla(), SECRET)).toBe(true);
  });

  it("refuses another secret, a changed request, a changed date and a malformed header", () => {
    expect(hasValidSignature(vanilla(), "another-secret")).toBe(false);
    expect(hasValidSignature(vanilla({ rawUrl: "/?Param1=value1" }), SECRET)).toBe(false);
    expect(hasValidSignature(vanilla({ date: "20150830T123601Z" }), SECRET)).toBe(false);
    expect(hasValidSignature({ ...vanilla(), headers: { ...vanilla().headers, authorization: "AWS4-HMAC-SHA256 nonsense" } }, SECRET)).toBe(
      false,
    );
  });
});
