import { describe, expect, it } from 'vitest';
import { YamlParseError, parseYamlWithIntrinsics } from '../../src/discover/cfn-yaml.js';

const TEMPLATE = `Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  NotProd: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Or [!Equals [a, b], !Equals [c, d]]]
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt Role.Arn
      FunctionName: !Sub '\${AWS::StackName}-fn'
      Description: !Sub
        - 'table \${T}'
        - T: !Ref Table
      MemorySize: !If [IsProd, 1024, !Ref AWS::NoValue]
      Layers: !Split [',', !ImportValue shared-layers]
      Subnets: !Select [0, !GetAZs '']
      Code: !FindInMap [Artifacts, !Ref AWS::Region, Key]
      Tags: !Join ['-', [a, !Base64 b]]
      Cidrs: !Cidr [10.0.0.0/16, 6, 5]
      Env: !GetAtt [Table, StreamArn]
      Include: !Transform { Name: 'AWS::Include', Parameters: { Location: s3://b/k } }
`;

describe('CloudFormation intrinsic tags', () => {
  const parsed = parseYamlWithIntrinsics(TEMPLATE);

  it('parses scalar, sequence and mapping forms into the JSON long form', () => {
    expect(parsed.data).toEqual({
      Conditions: {
        IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] },
        NotProd: { 'Fn::Not': [{ Condition: 'IsProd' }] },
        Both: { 'Fn::And': [{ Condition: 'IsProd' }, { 'Fn::Or': [{ 'Fn::Equals': ['a', 'b'] }, { 'Fn::Equals': ['c', 'd'] }] }] },
      },
      Resources: {
        Fn: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
            FunctionName: { 'Fn::Sub': '${AWS::StackName}-fn' },
            Description: { 'Fn::Sub': ['table ${T}', { T: { Ref: 'Table' } }] },
            MemorySize: { 'Fn::If': ['IsProd', 1024, { Ref: 'AWS::NoValue' }] },
            Layers: { 'Fn::Split': [',', { 'Fn::ImportValue': 'shared-layers' }] },
            Subnets: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
            Code: { 'Fn::FindInMap': ['Artifacts', { Ref: 'AWS::Region' }, 'Key'] },
            Tags: { 'Fn::Join': ['-', ['a', { 'Fn::Base64': 'b' }]] },
            Cidrs: { 'Fn::Cidr': ['10.0.0.0/16', 6, 5] },
            Env: { 'Fn::GetAtt': ['Table', 'StreamArn'] },
            Include: { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://b/k' } } },
          },
        },
      },
    });
  });

  it('gives the 1-based line of a key path, and null for a missing one', () => {
    expect(parsed.lineOf(['Resources', 'Fn'])).toBe(6);
    expect(parsed.lineOf(['Resources', 'Fn', 'Properties', 'MemorySize'])).toBe(14);
    expect(parsed.lineOf(['Resources', 'Missing'])).toBeNull();
  });

  it('reports a syntax error with its line', () => {
    expect(() => parseYamlWithIntrinsics('a:\n  b: [1,\n')).toThrow(YamlParseError);
  });
});
