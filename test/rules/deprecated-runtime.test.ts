import { ruleTester } from '../helpers/rule-tester.js';

const handler = { 'src/create.js': 'exports.handler = async () => ({ statusCode: 201 });\n' };
const service = (runtime: string, fnRuntime = ''): string =>
  `service: orders
provider:
  name: aws
  runtime: ${runtime}
functions:
  create:
    handler: src/create.handler
${fnRuntime === '' ? '' : `    runtime: ${fnRuntime}\n`}`;

ruleTester('deprecated-runtime', {
  valid: [
    { name: 'a supported runtime', files: { 'serverless.yml': service('nodejs24.x'), ...handler }, options: { asOf: '2026-12-02' } },
    {
      name: 'a runtime far from deprecation',
      files: { 'serverless.yml': service('nodejs22.x'), ...handler },
      options: { asOf: '2026-06-01', warnDaysBefore: 180 },
    },
  ],
  invalid: [
    {
      name: 'deprecated, at the provider runtime line',
      files: { 'serverless.yml': service('nodejs18.x'), ...handler },
      options: { asOf: '2026-12-02' },
      errors: [
        { file: 'serverless.yml', line: 4, column: 1, severity: 'warn', message: ['nodejs18.x was deprecated on 2025-09-01', 'Move to nodejs22.x'] },
      ],
    },
    {
      name: 'past the block-update date is an error, at the function-level runtime line',
      files: { 'serverless.yml': service('nodejs22.x', 'nodejs14.x'), ...handler },
      options: { asOf: '2026-12-02' },
      errors: [
        {
          file: 'serverless.yml',
          line: 8,
          column: 1,
          severity: 'error',
          message: ['nodejs14.x was deprecated on 2023-12-04', 'since 2024-02-08 functions on it cannot be updated'],
        },
      ],
    },
    {
      name: 'deprecated within warnDaysBefore is info',
      files: { 'serverless.yml': service('nodejs22.x'), ...handler },
      options: { asOf: '2026-12-02', warnDaysBefore: 180 },
      errors: [
        { file: 'serverless.yml', line: 4, column: 1, severity: 'info', message: ['nodejs22.x will be deprecated on 2027-04-30 (in 149 days)'] },
      ],
    },
    {
      name: 'SAM Globals runtime',
      files: {
        'template.yaml': `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs16.x
Resources:
  CreateFn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: create.handler
`,
        ...handler,
      },
      options: { asOf: '2026-12-02' },
      errors: [{ file: 'template.yaml', line: 5, column: 1, message: ['nodejs16.x was deprecated on 2024-06-12'] }],
    },
  ],
});

ruleTester('deprecated-runtime', {
  valid: [],
  invalid: [
    {
      // No asOf: the schedule's checked date (2026-12-02), whatever day the test runs, so reports are reproducible.
      name: 'the default date is the catalog date',
      files: { 'serverless.yml': service('nodejs22.x'), ...handler },
      errors: [{ file: 'serverless.yml', line: 4, column: 1, severity: 'info', message: ['in 149 days'] }],
    },
  ],
});
