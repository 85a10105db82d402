/**
 * `comment --github` against an adversarial GitHub (test/helpers/fake-github.ts): rate limits as GitHub sends them,
 * answers of the wrong shape, requests that never answer, and two runs racing on one pull request. Waits are kept
 * to `retry-after: 0` or injected short timeouts, so no case waits more than a second.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { GitHubApiError, rateLimitWait, upsertPrComment } from '../../src/github/pr-comment.js';
import { PR_COMMENT_MARKER } from '../../src/report/marker.js';
import { runCli } from '../helpers/cli.js';
import { startFakeGitHub, type FakeGitHub, type FakeGitHubOptions } from '../helpers/fake-github.js';

const TOKEN = 'ghs_faultsSecretToken0123456789abcdefXYZ';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'lm-gh-faults-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const BODY = path.join(tmp, 'body.md');
writeFileSync(BODY, '## lambda-migrate\n\ncreateOrder: +120 ms init\n');

const fakes: FakeGitHub[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});

async function github(options: Partial<FakeGitHubOptions> = {}): Promise<FakeGitHub> {
  const f = await startFakeGitHub({ token: TOKEN, owner: 'acme', repo: 'orders', pr: 7, login: 'lm-bot', ...options });
  fakes.push(f);
  return f;
}

function env(f: FakeGitHub, summary?: string): Record<string, string> {
  return {
    GITHUB_API_URL: f.url,
    GITHUB_TOKEN: TOKEN,
    GITHUB_REPOSITORY: 'acme/orders',
    ...(summary !== undefined ? { GITHUB_STEP_SUMMARY: summary } : {}),
  };
}

const comment = ['comment', '--github', '--body', BODY, '--pr', '7'];
const methods = (f: FakeGitHub): string[] => f.requests.map((r) => r.method);

describe('GitHub rate limits: retried as documented, then the job summary, never exit 2', () => {
  it('a 429 with retry-after is retried after that wait, and the comment is created', async () => {
    const f = await github({ rateLimit: { route: 'POST', times: 1, status: 429, retryAfter: '0' } });
    const run = await runCli(comment, { env: env(f) });
    expect(run.code).toBe(0);
    expect(methods(f).filter((m) => m === 'POST')).toHaveLength(2);
    expect(f.comments).toHaveLength(1);
    expect(run.err).toMatch(/^created comment /);
  });

  it('a secondary limit (403 + retry-after) that holds: 2 retries, then the job summary with a warning, exit 0', async () => {
    const summary = path.join(tmp, 'summary-403.md');
    writeFileSync(summary, '');
    const f = await github({ rateLimit: { route: 'POST', times: 99, status: 403, retryAfter: '0' } });
    const run = await runCli(comment, { env: env(f, summary) });
    expect(run.code).toBe(0);
    expect(methods(f).filter((m) => m === 'POST')).toHaveLength(3);
    expect(run.err.split('\n')[0]).toBe(
      'warning: GitHub rate-limited the comment: POST /repos/acme/orders/issues/7/comments: HTTP 403 rate limit (secondary or primary), 2 retries made',
    );
    // Not the fork-token advice: this 403 is a limit, not a permission.
    expect(run.err).not.toContain('read-only token');
    expect(readFileSync(summary, 'utf8')).toContain('createOrder: +120 ms init');
    expect(run.err).not.toContain(TOKEN);
  });

  it('a wait longer than the longest this waits is not waited: the job summary at once', async () => {
    const summary = path.join(tmp, 'summary-long.md');
    const f = await github({ rateLimit: { route: 'LIST', times: 99, status: 429, retryAfter: '3600' } });
    const run = await runCli(comment, { env: env(f, summary) });
    expect(run.code).toBe(0);
    expect(methods(f)).toEqual(['GET', 'GET']);
    expect(run.err.split('\n')[0]).toBe(
      'warning: GitHub rate-limited the comment: GET /repos/acme/orders/issues/7/comments: HTTP 429 rate limit (secondary or primary), 0 retries made; GitHub asks to wait 3600 s, more than the 60 s this waits',
    );
    expect(readFileSync(summary, 'utf8')).toContain(PR_COMMENT_MARKER);
  });

  it('rateLimitWait reads retry-after (seconds or a date), then x-ratelimit-reset, else a minute doubling', () => {
    const now = Date.parse('2026-11-27T12:00:00Z');
    const limitError = (status: number, headers: Record<string, string>, message = 'You have exceeded a secondary rate limit'): Error =>
      Object.assign(new Error(message), { status, response: { headers, data: { message } } });
    expect(rateLimitWait(limitError(429, { 'retry-after': '7' }), 0, now)).toBe(7000);
    expect(rateLimitWait(limitError(429, { 'retry-after': 'Fri, 27 Nov 2026 12:00:30 GMT' }), 0, now)).toBe(30_000);
    expect(
      rateLimitWait(
        limitError(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 42) }, 'API rate limit exceeded'),
        0,
        now,
      ),
    ).toBe(42_000);
    expect(rateLimitWait(limitError(429, {}), 0, now)).toBe(60_000);
    expect(rateLimitWait(limitError(429, {}), 2, now)).toBe(240_000);
    // A 403 that is a permission, not a limit: no retry.
    expect(rateLimitWait(limitError(403, { 'x-ratelimit-remaining': '4999' }, 'Resource not accessible by integration'), 0, now)).toBeNull();
    expect(rateLimitWait(limitError(500, { 'retry-after': '1' }), 0, now)).toBeNull();
    expect(rateLimitWait(new Error('plain'), 0, now)).toBeNull();
  });
});

describe('GitHub answers of the wrong shape, and no answer', () => {
  it('a listing that is not a list of comments: the job summary with a clear warning, exit 0', async () => {
    const summary = path.join(tmp, 'summary-malformed.md');
    const f = await github({ answer: { LIST: JSON.stringify({ comments: 'nope' }) } });
    const run = await runCli(comment, { env: env(f, summary) });
    expect(run.code).toBe(0);
    expect(run.err.split('\n')[0]).toBe(
      "warning: GitHub answered oddly: GET /repos/acme/orders/issues/7/comments: GitHub's answer is not of the documented shape: a page that is not a list of comments",
    );
    expect(methods(f)).not.toContain('POST');
  });

  it('comments without ids, users that are not objects, GET /user without a login: each named, none a TypeError', async () => {
    let f = await github({ answer: { LIST: JSON.stringify([{ body: PR_COMMENT_MARKER, user: 'lm-bot' }]) } });
    let run = await runCli(comment, { env: env(f) });
    expect(run.err.split('\n')[0]).toBe(
      "warning: GitHub answered oddly: GET /repos/acme/orders/issues/7/comments: GitHub's answer is not of the documented shape: a comment without a valid id",
    );
    f = await github({ answer: { 'GET /user': JSON.stringify({ login: { name: 'x' } }) } });
    run = await runCli(comment, { env: env(f) });
    expect(run.err.split('\n')[0]).toBe("warning: GitHub answered oddly: GET /user: GitHub's answer is not of the documented shape: no valid login");
    f = await github({ answer: { LIST: '[{"id": 1, "body": ' } });
    run = await runCli(comment, { env: env(f) });
    expect(run.code).toBe(0);
    expect(run.err).not.toContain('internal error');
    // A created comment whose answer lacks id and URL: the write went through, the outcome says no more than it knows.
    f = await github({ answer: { POST: JSON.stringify({ id: 'abc', html_url: 'javascript:alert(1)' }) } });
    const outcome = await upsertPrComment({
      apiUrl: f.url,
      token: TOKEN,
      target: { owner: 'acme', repo: 'orders', pr: 7 },
      body: `${PR_COMMENT_MARKER}\nx`,
    });
    expect([outcome.action, outcome.commentId, outcome.url]).toEqual(['created', null, null]);
  });

  it('a Link header that loops back to a page already read ends the listing (malformed), not the budget', async () => {
    const f = await github({ loopLinks: true });
    const run = await runCli(comment, { env: env(f) });
    expect(run.code).toBe(0);
    expect(run.err.split('\n')[0]).toBe(
      "warning: GitHub answered oddly: GET /repos/acme/orders/issues/7/comments: GitHub's answer is not of the documented shape: pagination that does not end (3 pages, back at a page already read or past 100)",
    );
    expect(methods(f)).toEqual(['GET', 'GET', 'GET', 'GET']);
  });

  it('a request that never answers ends at its own timeout, with one line (exit 2 from the CLI: nothing was refused)', async () => {
    const f = await github({ answer: { LIST: 'hang' } });
    const t0 = Date.now();
    const err = await upsertPrComment({
      apiUrl: f.url,
      token: TOKEN,
      target: { owner: 'acme', repo: 'orders', pr: 7 },
      body: 'x',
      author: 'lm-bot',
      requestTimeoutMs: 500,
    }).catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(err).toBeInstanceOf(GitHubApiError);
    expect(err instanceof GitHubApiError ? [err.message, err.kind, err.fallsBack] : null).toEqual([
      `GET /repos/acme/orders/issues/7/comments: no answer from ${f.url} (no answer within 0.5 s)`,
      'no-answer',
      false,
    ]);
  });

  it('the whole upsert has a budget too: retries stop when it runs out', async () => {
    const f = await github({ rateLimit: { route: 'LIST', times: 99, status: 429, retryAfter: '1' } });
    const t0 = Date.now();
    const err = await upsertPrComment({
      apiUrl: f.url,
      token: TOKEN,
      target: { owner: 'acme', repo: 'orders', pr: 7 },
      body: 'x',
      timeoutMs: 300,
    }).catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(1_500);
    expect(err instanceof GitHubApiError ? [err.kind, err.fallsBack] : null).toEqual(['rate-limited', true]);
  });
});

describe('two runs on one pull request end with one comment', () => {
  it('another run creates it between the first read and the re-check: it is adopted (updated), not duplicated', async () => {
    const theirs = { id: 4242, user: 'lm-bot', body: `${PR_COMMENT_MARKER}\nthe other run's report`, created_at: '2026-11-27T11:59:59Z' };
    const f = await github({ appearOnListing: { at: 2, comment: theirs } });
    const run = await runCli(comment, { env: env(f) });
    expect(run.code).toBe(0);
    expect(methods(f)).toEqual(['GET', 'GET', 'GET', 'PATCH']);
    expect(f.comments.map((c) => [c.id, c.body.includes('createOrder: +120 ms init')])).toEqual([[4242, true]]);
    expect(run.err).toContain('updated comment https://github.com/acme/orders/pull/7#issuecomment-4242 on acme/orders#7 as lm-bot');
    expect(run.err).toContain('another run had just created it (adopted)');
  });

  it('both create at the same moment: the newest is kept, the duplicate deleted, and every later run updates it', async () => {
    // Both POSTs are held until both have arrived: each run has read an empty thread (twice) before either creates.
    const f = await github({ holdPosts: 2 });
    const [a, b] = await Promise.all([runCli(comment, { env: env(f) }), runCli(comment, { env: env(f) })]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(methods(f).filter((m) => m === 'POST')).toHaveLength(2);
    const ours = f.comments.filter((c) => c.body.includes(PR_COMMENT_MARKER));
    expect(ours.map((c) => c.id)).toEqual([1002]);
    expect(`${a.err}${b.err}`).toContain('duplicate(s) from a concurrent run removed: 1001');
    const third = await runCli(comment, { env: env(f) });
    expect(third.err).toMatch(/^updated comment https:\/\/github\.com\/acme\/orders\/pull\/7#issuecomment-1002 /);
    expect(f.comments.filter((c) => c.body.includes(PR_COMMENT_MARKER))).toHaveLength(1);
  });
});
