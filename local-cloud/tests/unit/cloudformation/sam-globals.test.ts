import { parseTemplate } from "../../../src/cloudformation/read-template";
import { applySamGlobals, mergeSamGlobal } from "../../../src/cloudformation/sam-globals";

describe("applySamGlobals", () => {
  const template = parseTemplate(`
Globals:
  Function:
    Runtime: nodejs22.x
    Timeout: 30
    Layers: [global-layer]
    Environment:
      Variables:
        LOG_LEVEL: !Ref LogLevel
        SHARED: global
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 5
      Layers: [own-layer]
      Environment:
        Variables:
          SHARED: own
          OWN: !Ref Table
  Bare: { Type: AWS::Serverless::Function }
  Table: { Type: AWS::DynamoDB::Table, Properties: { Timeout: 1 } }
`);

  it("merges Globals.Function into every function, the function's own values winning", () => {
    const applied = applySamGlobals(template);
    expect(applied.Globals).toBeUndefined();
    expect(applied.Resources.Fn?.Properties).toEqual({
      Runtime: "nodejs22.x",
      Timeout: 5,
      Layers: ["global-layer", "own-layer"],
      Environment: { Variables: { LOG_LEVEL: { Ref: "LogLevel" }, SHARED: "own", OWN: { Ref: "Table" } } },
    });
    expect(applied.Resources.Bare?.Properties).toEqual({
      Runtime: "nodejs22.x",
      Timeout: 30,
      Layers: ["global-layer"],
      Environment: { Variables: { LOG_LEVEL: { Ref: "LogLevel" }, SHARED: "global" } },
    });
    expect(applied.Resources.Table).toBe(template.Resources.Table);
    expect(template.Resources.Fn?.Properties?.Timeout).toBe(5);
  });

  it("treats an intrinsic function as a single value, not a map to merge", () => {
    expect(mergeSamGlobal({ A: { Ref: "X" } }, { A: { "Fn::Sub": "y" } })).toEqual({ A: { "Fn::Sub": "y" } });
    expect(mergeSamGlobal({ Ref: "X" }, { B: 1 })).toEqual({ B: 1 });
    expect(mergeSamGlobal([1], "scalar")).toBe("scalar");
  });

  it("leaves a template without Globals unchanged", () => {
    const plain = parseTemplate("Resources:\n  Fn: { Type: AWS::Serverless::Function, Properties: { Handler: a.b } }");
    expect(applySamGlobals(plain).Resources.Fn?.Properties).toEqual({ Handler: "a.b" });
  });
});
