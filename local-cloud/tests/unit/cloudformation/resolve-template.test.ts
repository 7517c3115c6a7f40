import { parseTemplate } from "../../../src/cloudformation/read-template";
import { type ResolveOptions, resolveTemplate } from "../../../src/cloudformation/resolve-template";
import { partitionOf } from "../../../src/endpoint/partitions";

const options = (overrides: Partial<ResolveOptions> = {}): ResolveOptions => ({
  region: "eu-west-1",
  accountId: "123456789012",
  stackName: "fleet",
  parameters: {},
  physicalIds: (logicalId) => `physical-${logicalId}`,
  attributes: (logicalId, attribute) => (attribute === "Missing" ? undefined : `${logicalId}.${attribute}-value`),
  ...overrides,
});

/** Resolves `properties` as the Properties of one resource of a small template. */
const resolveProperties = (properties: string, overrides: Partial<ResolveOptions> = {}): Record<string, unknown> => {
  const template = parseTemplate(`
Parameters:
  Name: { Type: String, Default: fleet }
  Size: { Type: Number, Default: 25 }
  Regions: { Type: CommaDelimitedList, Default: "a,b,c" }
  Flag: { Type: String, Default: "true" }
Mappings:
  ByRegion:
    eu-west-1: { Tier: gold }
Conditions:
  IsOn: !Equals [!Ref Flag, "true"]
  IsOff: !Not [!Condition IsOn]
  Both: !And [!Condition IsOn, !Equals [1, "1"]]
  Either: !Or [!Condition IsOff, !Equals [!Ref Size, 25]]
Resources:
  Queue: { Type: AWS::SQS::Queue }
  Subject:
    Type: Test::Resource
    Properties:
${properties
  .split("\n")
  .map((line) => `      ${line}`)
  .join("\n")}
`);
  const subject = resolveTemplate(template, options(overrides)).resources.find((resource) => resource.logicalId === "Subject");
  if (!subject) throw new Error("Subject not created");
  return subject.properties;
};

describe("resolveTemplate intrinsic functions", () => {
  it("resolves Ref to parameters, resources and pseudo parameters", () => {
    expect(
      resolveProperties(`
Name: !Ref Name
Size: !Ref Size
Regions: !Ref Regions
Queue: !Ref Queue
Pseudo: [!Ref AWS::Region, !Ref AWS::AccountId, !Ref AWS::StackName, !Ref AWS::Partition, !Ref AWS::URLSuffix]
Gone: !Ref AWS::NoValue
List: [1, !Ref AWS::NoValue, 2]`),
    ).toEqual({
      Name: "fleet",
      Size: 25,
      Regions: ["a", "b", "c"],
      Queue: "physical-Queue",
      Pseudo: ["eu-west-1", "123456789012", "fleet", "aws", "amazonaws.com"],
      List: [1, 2],
    });
  });

  it("uses the China partition and URL suffix in cn- regions", () => {
    expect(resolveProperties("P: [!Ref AWS::Partition, !Ref AWS::URLSuffix]", { region: "cn-north-1" })).toEqual({
      P: ["aws-cn", "amazonaws.com.cn"],
    });
    expect(partitionOf("us-gov-west-1")).toBe("aws-us-gov");
  });

  it("resolves Fn::GetAtt in both forms, through the attributes callback", () => {
    expect(resolveProperties("A: !GetAtt Queue.Arn\nB: !GetAtt [Queue, QueueName]\nC: { 'Fn::GetAtt': 'Queue.Arn' }")).toEqual({
      A: "Queue.Arn-value",
      B: "Queue.QueueName-value",
      C: "Queue.Arn-value",
    });
  });

  it("resolves Fn::Sub with parameters, attributes, pseudo parameters, variables and escapes", () => {
    expect(
      resolveProperties(`
A: !Sub "arn:\${AWS::Partition}:sqs:\${AWS::Region}:\${AWS::AccountId}:\${Name}-\${Size}"
B: !Sub "\${Queue}|\${Queue.Arn}|\${!Literal}|\${ Name }"
C: !Sub ["\${Prefix}-\${Name}", { Prefix: !Join ["-", [x, y]] }]`),
    ).toEqual({
      A: "arn:aws:sqs:eu-west-1:123456789012:fleet-25",
      B: "physical-Queue|Queue.Arn-value|${Literal}|fleet",
      C: "x-y-fleet",
    });
  });

  it("resolves Join, Select, Split, FindInMap and Base64", () => {
    expect(
      resolveProperties(`
Join: !Join [",", [!Ref Name, 2, !Ref AWS::NoValue, true]]
JoinList: !Join ["+", !Ref Regions]
Select: !Select ["1", !Ref Regions]
Split: !Split [",", !Sub "\${Name},,x"]
Nested: !Select [2, !Split ["/", "a/b/c"]]
Map: !FindInMap [ByRegion, !Ref AWS::Region, Tier]
MapDefault: !FindInMap [ByRegion, us-east-1, Tier, { DefaultValue: bronze }]
Base64: !Base64 "hello \${Name}"
Base64Sub: !Base64 { "Fn::Sub": "hello \${Name}" }`),
    ).toEqual({
      Join: "fleet,2,true",
      JoinList: "a+b+c",
      Select: "b",
      Split: ["fleet", "", "x"],
      Nested: "c",
      Map: "gold",
      MapDefault: "bronze",
      Base64: Buffer.from("hello ${Name}").toString("base64"),
      Base64Sub: Buffer.from("hello fleet").toString("base64"),
    });
  });

  it("evaluates conditions and takes only the chosen Fn::If branch", () => {
    expect(
      resolveProperties(`
On: !If [IsOn, yes, no]
Off: !If [IsOff, !Ref Missing, kept]
Removed: !If [IsOff, x, !Ref AWS::NoValue]
Items: [!If [IsOn, { Region: a }, !Ref AWS::NoValue], !If [IsOff, b, !Ref AWS::NoValue]]`),
    ).toEqual({ On: "yes", Off: "kept", Items: [{ Region: "a" }] });
  });

  it("reports every condition and skips resources whose condition is false", () => {
    const template = parseTemplate(`
Parameters: { Flag: { Type: String, Default: "false" } }
Conditions:
  IsOn: !Equals [!Ref Flag, "true"]
  IsOff: !Not [!Condition IsOn]
  Any: !Or [!Condition IsOn, !Condition IsOff]
Resources:
  OnlyOn: { Type: X, Condition: IsOn }
  OnlyOff: { Type: X, Condition: IsOff, Metadata: { Region: !Ref AWS::Region } }
`);
    const resolved = resolveTemplate(template, options());
    expect(resolved.conditions).toEqual({ IsOn: false, IsOff: true, Any: true });
    expect(resolved.resources).toEqual([{ logicalId: "OnlyOff", type: "X", properties: {}, metadata: { Region: "eu-west-1" } }]);
  });

  it.each([
    ["A: !GetAZs ''", /Resources.Subject.Properties.A.Fn::GetAZs: unsupported intrinsic function Fn::GetAZs/],
    ["A: !Ref Nothing", /Ref Nothing: Nothing is not a parameter or resource of the template/],
    ["A: !Ref AWS::NotAThing", /unknown pseudo parameter AWS::NotAThing/],
    ["A: !GetAtt Queue.Missing", /Fn::GetAtt Queue.Missing: no such attribute/],
    ["A: !Select [5, !Ref Regions]", /index 5 is out of range for a list of 3/],
    ["A: !Sub '${Regions}'", /must be a string/],
    ["A: !Sub '${AWS::NoValue}'", /AWS::NoValue cannot be substituted/],
    ["A: !If [Unknown, a, b]", /no condition named Unknown/],
    ["A: !FindInMap [ByRegion, us-east-1, Tier]", /mapping ByRegion has no us-east-1.Tier/],
    ["A: !FindInMap [Nope, a, b]", /no mapping named Nope/],
    ["A: !Join [',']", /Fn::Join takes a list of 2 arguments/],
    ["A: !Join [',', !Ref Name]", /the Fn::Join values must be a list/],
  ])("rejects %j with a clear error", (properties, message) => {
    expect(() => resolveProperties(properties)).toThrow(message);
  });

  it("rejects a reference to a resource that is not created", () => {
    const template = parseTemplate(`
Conditions: { Never: !Equals [a, b] }
Resources:
  Absent: { Type: X, Condition: Never }
  User: { Type: X, Properties: { A: !GetAtt Absent.Arn } }
`);
    expect(() => resolveTemplate(template, options())).toThrow("resource Absent is not created (its condition Never is false)");
  });

  it("rejects a missing physical id, a condition cycle and a non-boolean condition", () => {
    const base = "Resources:\n  Queue: { Type: AWS::SQS::Queue }\n  User: { Type: X, Properties: { A: !Ref Queue } }";
    expect(() => resolveTemplate(parseTemplate(base), options({ physicalIds: () => undefined }))).toThrow(
      "Ref Queue: no physical id for this AWS::SQS::Queue",
    );
    const cycle = parseTemplate("Conditions:\n  A: !Not [!Condition B]\n  B: !Not [!Condition A]\nResources: {}");
    expect(() => resolveTemplate(cycle, options())).toThrow("condition A depends on itself");
    const notBoolean = parseTemplate("Conditions:\n  A: !Ref AWS::Region\nResources: {}");
    expect(() => resolveTemplate(notBoolean, options())).toThrow("Conditions.A: a condition must evaluate to true or false");
  });

  it("validates parameters before resolving", () => {
    const template = parseTemplate("Parameters: { N: { Type: Number, MaxValue: 3 } }\nResources: {}");
    expect(() => resolveTemplate(template, options({ parameters: { N: "4" } }))).toThrow(
      "template parameter N: 4 is greater than MaxValue 3",
    );
  });

  it("keeps an IAM Condition block as data", () => {
    expect(
      resolveProperties("Statement: { Effect: Allow, Condition: { StringEquals: { 'aws:SourceAccount': !Ref AWS::AccountId } } }"),
    ).toEqual({
      Statement: { Effect: "Allow", Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } },
    });
  });
});
