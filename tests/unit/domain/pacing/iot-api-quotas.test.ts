import { IOT_DEFAULT_QUOTAS, iotApiBudgets } from "../../../../src/domain/pacing/iot-api-quotas";

describe("iotApiBudgets", () => {
  it("takes the share of each default quota, with a second's worth of burst", () => {
    const budgets = iotApiBudgets(0.8, "")._unsafeUnwrap();
    expect(budgets.get("CreateThing")).toEqual({ perSecond: 80, burst: 80 });
    expect(budgets.get("RegisterCertificateWithoutCA")).toEqual({ perSecond: 8, burst: 8 });
    expect(budgets.size).toBe(Object.keys(IOT_DEFAULT_QUOTAS).length);
  });

  it("applies raised quotas from the overrides parameter", () => {
    const budgets = iotApiBudgets(1, "CreateThing=200, AttachPolicy=30")._unsafeUnwrap();
    expect(budgets.get("CreateThing")?.perSecond).toBe(200);
    expect(budgets.get("AttachPolicy")?.perSecond).toBe(30);
  });

  it.each([
    [0.8, "CreateThingz=200", "IotApiQuotaOverrides: 'CreateThingz=200': unknown API 'CreateThingz'"],
    [0.8, "CreateThing", "IotApiQuotaOverrides: 'CreateThing': expected <API>=<requests per second>"],
    [0.8, "CreateThing=-1", "IotApiQuotaOverrides: 'CreateThing=-1': expected <API>=<requests per second>"],
    [1.5, "", "IotApiQuotaShare: must be a number above 0 and at most 1, got 1.5"],
  ])("refuses share %p with overrides %p, naming what is wrong", (share, overrides, message) => {
    expect(iotApiBudgets(share, overrides)._unsafeUnwrapErr().message).toBe(message);
  });
});

describe("the product's default quotas", () => {
  it("are the local cloud's aws-default profile, number for number (one is what the applier plans for, the other what the simulation enforces)", () => {
    // Loaded by path: the product's unit tests need no running local cloud, only its table.
    const { AWS_DEFAULT_IOT_QUOTAS } = require("../../../../local-cloud/src/faults/aws-default-quotas") as {
      AWS_DEFAULT_IOT_QUOTAS: readonly { operation: string; tps: number }[];
    };
    const profile = Object.fromEntries(AWS_DEFAULT_IOT_QUOTAS.map((quota) => [quota.operation, quota.tps]));
    for (const [api, tps] of Object.entries(IOT_DEFAULT_QUOTAS)) expect({ api, tps: profile[api] }).toEqual({ api, tps });
  });
});
