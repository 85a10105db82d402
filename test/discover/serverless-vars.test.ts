import { describe, expect, it } from 'vitest';
import { ServerlessVariables } from '../../src/discover/serverless-vars.js';

describe('Serverless variables', () => {
  const vars = new ServerlessVariables({
    service: 'shop',
    provider: { stage: "${opt:stage, 'qa'}", region: '${opt:region}' },
    custom: { memory: 768, nested: '${self:service}-${sls:stage}', table: '${self:custom.nested}-orders' },
  });

  it('uses the opt: fallback for the stage, then sls:stage follows it', () => {
    expect(vars.stage).toBe('qa');
    expect(vars.resolve('${sls:stage}')).toBe('qa');
  });

  it('defaults opt:region and keeps the type of a whole-value reference', () => {
    expect(vars.resolve('${self:provider.region}')).toBe('us-east-1');
    expect(vars.resolve('${self:custom.memory}')).toBe(768);
  });

  it('resolves chained self references inside strings', () => {
    expect(vars.resolve('${self:custom.table}')).toBe('shop-qa-orders');
  });

  it('falls through an unknown source to the next fallback, else leaves it as written', () => {
    expect(vars.resolve("${env:TABLE, 'fallback'}")).toBe('fallback');
    expect(vars.resolve('pre-${ssm:/x/y}-${self:service}')).toBe('pre-${ssm:/x/y}-shop');
  });

  it('defaults the stage to dev when nothing declares it', () => {
    expect(new ServerlessVariables({}).stage).toBe('dev');
  });
});
