import { serviceFor } from "../../../src/endpoint/service-routing";

const local = "127.0.0.1:4566";

describe("routing a request to a local service by its SigV4 signing name", () => {
  it.each([
    ["iot", "/things/Bulb", "iot"],
    ["execute-api", "/things/Bulb", "iot"],
    ["execute-api", "/event-configurations", "iot"],
    ["iot", "/things/Bulb/principals", "iot"],
    ["iotdata", "/things/Bulb/shadow", "iotdata"],
    ["iotdevicegateway", "/topics/a%2Fb", "iotdata"],
    ["execute-api", "/things/Bulb/shadow", "iotdata"],
    ["iot", "/api/things/shadow/ListNamedShadowsForThing/Bulb", "iotdata"],
    ["execute-api", "/topics/a%2Fb", "iotdata"],
    ["iot", "/retainedMessage", "iotdata"],
    ["sqs", "/", "sqs"],
    ["dynamodb", "/", "dynamodb"],
    ["ssm", "/", "ssm"],
    ["lambda", "/2015-03-31/functions/f/invocations", "lambda"],
  ])("%s %s goes to %s", (signingName, path, service) => {
    expect(serviceFor({ signingName, host: local, path })).toBe(service);
  });

  it("a shared signing name follows AWS's host names before the path", () => {
    expect(serviceFor({ signingName: "execute-api", host: "iot.eu-west-1.amazonaws.com", path: "/things/Bulb/shadow" })).toBe("iot");
    expect(serviceFor({ signingName: "iot", host: "abc123-ats.iot.eu-west-1.amazonaws.com:443", path: "/things/Bulb" })).toBe("iotdata");
    expect(serviceFor({ signingName: "execute-api", host: "data-ats.iot.cn-north-1.amazonaws.com.cn", path: "/x" })).toBe("iotdata");
  });

  it("an unknown signing name has no service", () => {
    expect(serviceFor({ signingName: "kinesis", host: local, path: "/" })).toBeUndefined();
  });
});
