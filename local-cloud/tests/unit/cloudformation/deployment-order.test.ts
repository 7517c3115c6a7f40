import { deploymentOrder, resourceDependencies } from "../../../src/cloudformation/deployment-order";
import { parseTemplate } from "../../../src/cloudformation/read-template";

describe("deploymentOrder", () => {
  it("puts every resource after those it references, keeping template order otherwise", () => {
    const template = parseTemplate(`
Parameters: { P: { Type: String, Default: x } }
Resources:
  Function:
    Type: AWS::Serverless::Function
    Properties:
      Role: !GetAtt Role.Arn
      Environment: { Variables: { URL: !Ref Queue, P: !Ref P, R: !Ref AWS::Region } }
  Alarm:
    Type: AWS::CloudWatch::Alarm
    DependsOn: [Function]
    Properties: { Name: !Sub "\${Topic.TopicName}-\${!Literal}-\${Var}-\${AWS::Region}", Other: !Sub ["\${Local}", { Local: !Ref Queue }] }
  Topic: { Type: AWS::SNS::Topic }
  Queue: { Type: AWS::SQS::Queue, Properties: { RedrivePolicy: { deadLetterTargetArn: !GetAtt [Dlq, Arn] } } }
  Role: { Type: AWS::IAM::Role, DependsOn: Topic }
  Dlq: { Type: AWS::SQS::Queue }
`);
    expect(resourceDependencies(template, "Alarm").sort()).toEqual(["Function", "Queue", "Topic"]);
    expect(deploymentOrder(template)).toEqual(["Topic", "Role", "Dlq", "Queue", "Function", "Alarm"]);
  });

  it("reports a cycle with the resources in it", () => {
    const template = parseTemplate(`
Resources:
  A: { Type: X, Properties: { B: !Ref B } }
  B: { Type: X, Properties: { C: !GetAtt C.Arn } }
  C: { Type: X, DependsOn: A }
  D: { Type: X }
`);
    expect(() => deploymentOrder(template)).toThrow("circular dependency between resources: A -> B; B -> C; C -> A");
  });

  it("rejects a DependsOn that names no resource", () => {
    const template = parseTemplate("Resources:\n  A: { Type: X, DependsOn: Missing }");
    expect(() => deploymentOrder(template)).toThrow('Resources.A.DependsOn: "Missing" is not a resource of the template');
  });
});
