import { parseTemplate } from "../../../src/cloudformation/read-template";
import { resolveParameters } from "../../../src/cloudformation/template-parameters";

const template = parseTemplate(`
Parameters:
  Name: { Type: String, Default: fleet, AllowedPattern: "[a-z]+", MinLength: 2, MaxLength: 8, ConstraintDescription: lower-case letters }
  Size: { Type: Number, Default: 25, MinValue: 1, MaxValue: 100 }
  Mode: { Type: String, AllowedValues: ["true", "false"], Default: "false" }
  Level: { Type: Number, AllowedValues: [1, 2, 3], Default: 1 }
  Regions: { Type: CommaDelimitedList, Default: "a, b", AllowedValues: [a, b, c] }
  Ports: { Type: "List<Number>", Default: "80,443", MaxValue: 1000 }
  ListDefault: { Type: CommaDelimitedList, Default: [x, y] }
  Empty: { Type: CommaDelimitedList, Default: "" }
  KeyName: { Type: "AWS::EC2::KeyPair::KeyName", Default: my-key }
Resources: {}
`);

describe("resolveParameters", () => {
  it("applies Defaults and converts each value per Type", () => {
    expect(resolveParameters(template, {})).toEqual({
      Name: "fleet",
      Size: 25,
      Mode: "false",
      Level: 1,
      Regions: ["a", "b"],
      Ports: [80, 443],
      ListDefault: ["x", "y"],
      Empty: [],
      KeyName: "my-key",
    });
  });

  it("lets overrides win over Defaults", () => {
    expect(resolveParameters(template, { Size: " 7 ", Mode: "true", Regions: "c", Level: "3.0" })).toMatchObject({
      Size: 7,
      Mode: "true",
      Regions: ["c"],
      Level: 3,
    });
  });

  it.each([
    [{ Name: "Fleet" }, /parameter Name: "Fleet" does not match AllowedPattern \[a-z\]\+ \(lower-case letters\)/],
    [{ Name: "abc1" }, /parameter Name: .*AllowedPattern/],
    [{ Name: "a" }, /parameter Name: "a" is shorter than MinLength 2/],
    [{ Name: "abcdefghi" }, /parameter Name: .*longer than MaxLength 8/],
    [{ Size: "0" }, /parameter Size: 0 is less than MinValue 1/],
    [{ Size: "101" }, /parameter Size: 101 is greater than MaxValue 100/],
    [{ Size: "ten" }, /parameter Size: "ten" is not a number/],
    [{ Size: "" }, /parameter Size: "" is not a number/],
    [{ Mode: "yes" }, /parameter Mode: "yes" is not one of the AllowedValues \["true","false"\]/],
    [{ Level: "4" }, /parameter Level: "4" is not one of the AllowedValues/],
    [{ Regions: "a,d" }, /parameter Regions: "d" is not one of the AllowedValues/],
    [{ Ports: "80,2000" }, /parameter Ports: 2000 is greater than MaxValue 1000/],
    [{ Unknown: "1" }, /parameter Unknown: is not declared/],
  ])("rejects %j", (overrides, message) => {
    expect(() => resolveParameters(template, overrides)).toThrow(message);
  });

  it("requires a value for a parameter without Default", () => {
    const required = parseTemplate("Parameters: { Needed: { Type: String } }\nResources: {}");
    expect(() => resolveParameters(required, {})).toThrow("template parameter Needed: has no value and no Default");
    expect(resolveParameters(required, { Needed: "" })).toEqual({ Needed: "" });
  });
});
