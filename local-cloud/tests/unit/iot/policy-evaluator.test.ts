import { compilePolicies, parsePolicyDocument } from "../../../src/iot/policy-evaluator";

const ARN = "arn:aws:iot:us-east-1:000000000000";

const policy = (name: string, ...statements: Record<string, unknown>[]) =>
  parsePolicyDocument(name, JSON.stringify({ Version: "2012-10-17", Statement: statements }));

describe("IoT policy evaluation", () => {
  it("denies by default and allows what a statement allows", () => {
    const policies = compilePolicies([policy("p", { Effect: "Allow", Action: "iot:Publish", Resource: `${ARN}:topic/a/*` })], {});
    expect(policies.evaluate("iot:Publish", `${ARN}:topic/a/b`)).toEqual({ effect: "Allow", policyName: "p", statement: 0 });
    expect(policies.evaluate("iot:Publish", `${ARN}:topic/b`)).toEqual({ effect: "ImplicitDeny", notes: [] });
    expect(policies.evaluate("iot:Subscribe", `${ARN}:topic/a/b`).effect).toBe("ImplicitDeny");
    expect(compilePolicies([], {}).evaluate("iot:Connect", `${ARN}:client/x`).effect).toBe("ImplicitDeny");
  });

  it("lets an explicit Deny in any attached policy beat an Allow", () => {
    const policies = compilePolicies(
      [
        policy("allow-all", { Effect: "Allow", Action: "iot:*", Resource: "*" }),
        policy(
          "guard",
          { Effect: "Allow", Action: "iot:Connect", Resource: "*" },
          { Effect: "Deny", Action: ["iot:Publish"], Resource: [`${ARN}:topic/$aws/*`] },
        ),
      ],
      {},
    );
    expect(policies.evaluate("iot:Publish", `${ARN}:topic/$aws/things/x/shadow/update`)).toEqual({
      effect: "ExplicitDeny",
      policyName: "guard",
      statement: 1,
    });
    expect(policies.evaluate("iot:Publish", `${ARN}:topic/telemetry`).effect).toBe("Allow");
  });

  it("reads single statements, string or list Action and Resource, and matches actions case-insensitively", () => {
    const single = parsePolicyDocument(
      "one",
      JSON.stringify({ Statement: { Effect: "Allow", Action: ["iot:receive", "iot:Sub*"], Resource: "*" } }),
    );
    const policies = compilePolicies([single], {});
    expect(policies.evaluate("iot:Receive", `${ARN}:topic/x`).effect).toBe("Allow");
    expect(policies.evaluate("iot:Subscribe", `${ARN}:topicfilter/x/#`).effect).toBe("Allow");
    expect(policies.evaluate("iot:Publish", `${ARN}:topic/x`).effect).toBe("ImplicitDeny");
  });

  it("applies NotAction and NotResource to everything they do not list", () => {
    const policies = compilePolicies(
      [
        policy(
          "p",
          { Effect: "Allow", NotAction: "iot:Publish", Resource: "*" },
          { Effect: "Deny", Action: "iot:Subscribe", NotResource: `${ARN}:topicfilter/public/*` },
        ),
      ],
      {},
    );
    expect(policies.evaluate("iot:Publish", `${ARN}:topic/x`).effect).toBe("ImplicitDeny");
    expect(policies.evaluate("iot:Connect", `${ARN}:client/c`).effect).toBe("Allow");
    expect(policies.evaluate("iot:Subscribe", `${ARN}:topicfilter/public/news`).effect).toBe("Allow");
    expect(policies.evaluate("iot:Subscribe", `${ARN}:topicfilter/private/x`).effect).toBe("ExplicitDeny");
  });

  it("substitutes policy variables, and an Allow whose variable cannot be resolved grants nothing (with a note)", () => {
    const p = policy("things", { Effect: "Allow", Action: "iot:Connect", Resource: `${ARN}:client/\${iot:Connection.Thing.ThingName}` });
    const attached = compilePolicies([p], { "iot:Connection.Thing.ThingName": "lamp" });
    expect(attached.evaluate("iot:Connect", `${ARN}:client/lamp`).effect).toBe("Allow");
    expect(attached.evaluate("iot:Connect", `${ARN}:client/other`).effect).toBe("ImplicitDeny");
    const unattached = compilePolicies([p], { "iot:Connection.Thing.ThingName": undefined });
    expect(unattached.evaluate("iot:Connect", `${ARN}:client/lamp`)).toEqual({
      effect: "ImplicitDeny",
      notes: [`statement 0 of policy things has unresolved policy variables in ${ARN}:client/\${iot:Connection.Thing.ThingName}`],
    });
  });

  it("never applies a statement with a Condition, and says so", () => {
    const p = policy(
      "conditional",
      { Effect: "Allow", Action: "iot:Connect", Resource: "*", Condition: { Bool: { "iot:Connection.Thing.IsAttached": "true" } } },
      { Effect: "Deny", Action: "iot:Connect", Resource: "*", Condition: { Bool: { "iot:Connection.Thing.IsAttached": "false" } } },
    );
    const decision = compilePolicies([p], {}).evaluate("iot:Connect", `${ARN}:client/c`);
    expect(decision.effect).toBe("ImplicitDeny");
    expect(decision.effect === "ImplicitDeny" && decision.notes).toEqual([
      "statement 0 of policy conditional has a Condition, which the local cloud does not evaluate (skipped)",
      "statement 1 of policy conditional has a Condition, which the local cloud does not evaluate (skipped)",
    ]);
  });

  it("grants nothing for a document it cannot read", () => {
    expect(parsePolicyDocument("broken", "{not json").statements).toEqual([]);
    expect(parsePolicyDocument("odd", JSON.stringify({ Statement: [{ Effect: "Maybe", Action: "*", Resource: "*" }] })).statements).toEqual(
      [],
    );
  });
});
