/**
 * `comment --github` over real HTTP: the real Octokit client against a fake GitHub on 127.0.0.1
 * (test/helpers/fake-github.ts), pointed at it through $GITHUB_API_URL as a GitHub Enterprise user would.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PR_COMMENT_MARKER } from '../../src/report/marker.js';
import { runCli, type CliRun } from '../helpers/cli.js';
import { startFakeGitHub, type FakeComment, type FakeGitHub, type FakeGitHubOptions } from '../helpers/fake-github.js';
import { sampleResult } from '../report/sample-result.js';

const TOKEN = 'ghs_h7cSecretToken0123456789abcdefABCDEF';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'h7c-comment-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const BODY = path.join(tmp, 'body.md');
writeFileSync(BODY, '## lambda-migrate\n\ncreateOrder: +120 ms init, +$3.10 / month\n');
const RESULT = path.join(tmp, 'result.json');
// The sample result has 1 error, 4 warn and 1 info finding; without its diff every finding counts for --fail-on.
const { diff: _diff, ...withoutDiff } = sampleResult;
writeFileSync(RESULT, JSON.stringify(withoutDiff));
const EVENT = path.join(tmp, 'event.json');
writeFileSync(EVENT, JSON.stringify({ action: 'synchronize', number: 7, pull_request: { number: 7, head: { ref: 'feature' } } }));

let fake: FakeGitHub | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function github(options: Partial<FakeGitHubOptions> = {}): Promise<FakeGitHub> {
  fake = await startFakeGitHub({ token: TOKEN, owner: 'acme', repo: 'orders', pr: 7, login: 'lm-bot', ...options });
  return fake;
}

function env(f: FakeGitHub, extra: Record<string, string> = {}): Record<string, string> {
  return { GITHUB_API_URL: f.url, GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: 'acme/orders', GITHUB_EVENT_PATH: EVENT, ...extra };
}

const comment = (id: number, user: string, body: string, day = 1): FakeComment => ({
  id,
  user,
  body,
  created_at: `2026-11-${String(Math.min(26, day)).padStart(2, '0')}T10:00:00Z`,
});

/** 250 comments by people, oldest first, with the given ones put in at their index. */
function thread(ours: Record<number, FakeComment>): FakeComment[] {
  return Array.from({ length: 250 }, (_, i) => ours[i] ?? comment(500 + i, i % 2 ? 'alice' : 'bob', `review note ${i}`, 1 + Math.floor(i / 10)));
}

const calls = (f: FakeGitHub): string[] => f.requests.map((r) => `${r.method} ${r.path}`);

function expectNoToken(run: CliRun, ...files: string[]): void {
  expect(run.out).not.toContain(TOKEN);
  expect(run.err).not.toContain(TOKEN);
  for (const file of files) expect(readFileSync(file, 'utf8')).not.toContain(TOKEN);
}

describe('comment --github: create or update the one PR comment', () => {
  it('creates the comment when the PR has none of ours, with the marker put first, PR number from the event payload', async () => {
    const f = await github({ comments: [comment(11, 'alice', 'LGTM'), comment(12, 'bob', 'nit: typo')] });
    const run = await runCli(['comment', '--github', '--body', BODY], { env: env(f) });
    expect(run.err).toMatch(
      /^created comment https:\/\/github\.com\/acme\/orders\/pull\/7#issuecomment-1001 on acme\/orders#7 as lm-bot; 2 comment\(s\) read in 1 page\(s\)\n$/,
    );
    expect(run.code).toBe(0);
    // The thread is read, re-read just before creating (another run may have created it), and read once more after
    // (a run that created at the same moment leaves a duplicate to settle).
    const list = 'GET /repos/acme/orders/issues/7/comments?per_page=100';
    expect(calls(f)).toEqual(['GET /user', list, list, 'POST /repos/acme/orders/issues/7/comments', list]);
    expect(f.requests.every((r) => r.authorization === `token ${TOKEN}`)).toBe(true);
    expect(f.comments).toHaveLength(3);
    expect(f.comments[2]?.body).toBe(`${PR_COMMENT_MARKER}\n${readFileSync(BODY, 'utf8')}`);
    expect(run.out).toBe('');
  });

  it('updates ours in place when it is on page 3 of 250 comments, the newest of two, leaving the older one', async () => {
    const f = await github({
      comments: thread({
        12: comment(9012, 'lm-bot', `${PR_COMMENT_MARKER}\nold report`, 2),
        230: comment(9230, 'lm-bot', `${PR_COMMENT_MARKER}\nlast week's report`, 24),
      }),
    });
    const run = await runCli(['comment', '--github', '--body', BODY, '--pr', '7'], { env: env(f) });
    expect(run.code).toBe(0);
    expect(calls(f)).toEqual([
      'GET /user',
      'GET /repos/acme/orders/issues/7/comments?per_page=100',
      'GET /repositories/4242/issues/7/comments?per_page=100&page=2',
      'GET /repositories/4242/issues/7/comments?per_page=100&page=3',
      'PATCH /repos/acme/orders/issues/comments/9230',
    ]);
    expect(f.comments).toHaveLength(250);
    expect(f.comments[230]?.body).toBe(`${PR_COMMENT_MARKER}\n${readFileSync(BODY, 'utf8')}`);
    expect(f.comments[12]?.body).toBe(`${PR_COMMENT_MARKER}\nold report`);
    expect(run.err).toContain('updated comment https://github.com/acme/orders/pull/7#issuecomment-9230 on acme/orders#7 as lm-bot');
    expect(run.err).toContain('250 comment(s) read in 3 page(s); 1 older comment(s) of ours left as they are: 9012');
  });

  it('ignores a comment with the marker by another author and creates its own', async () => {
    const forged = `${PR_COMMENT_MARKER}\nI quoted the bot`;
    const f = await github({ comments: [comment(21, 'mallory', forged)] });
    const run = await runCli(['comment', '--github', '--body', BODY], { env: env(f) });
    expect(run.code).toBe(0);
    expect(calls(f).map((c) => c.split(' ')[0])).toEqual(['GET', 'GET', 'GET', 'POST', 'GET']);
    expect(f.comments.map((c) => [c.user, c.body.slice(PR_COMMENT_MARKER.length + 1, PR_COMMENT_MARKER.length + 17)])).toEqual([
      ['mallory', 'I quoted the bot'],
      ['lm-bot', '## lambda-migrat'],
    ]);
  });

  it("falls back to github-actions[bot] when GET /user is forbidden (an Actions token), and updates the bot's comment", async () => {
    const f = await github({
      login: null,
      comments: [
        comment(31, 'lm-bot', `${PR_COMMENT_MARKER}\nby a PAT once`),
        comment(32, 'github-actions[bot]', `${PR_COMMENT_MARKER}\nby the workflow`),
      ],
    });
    const run = await runCli(['comment', '--github', '--body', BODY], { env: env(f) });
    expect(run.code).toBe(0);
    expect(calls(f)).toEqual(['GET /user', 'GET /repos/acme/orders/issues/7/comments?per_page=100', 'PATCH /repos/acme/orders/issues/comments/32']);
    expect(run.err).toContain('as github-actions[bot] (GET /user is not allowed for this token; --author sets another login)');
    expect(f.comments[0]?.body).toBe(`${PR_COMMENT_MARKER}\nby a PAT once`);
  });

  it('--author skips GET /user and matches that login', async () => {
    const f = await github({ comments: [comment(41, 'ci-bot', `${PR_COMMENT_MARKER}\nx`)] });
    const run = await runCli(['comment', '--github', '--body', BODY, '--author', 'CI-Bot'], { env: env(f) });
    expect(run.code).toBe(0);
    expect(calls(f)).toEqual(['GET /repos/acme/orders/issues/7/comments?per_page=100', 'PATCH /repos/acme/orders/issues/comments/41']);
  });

  it("403 on the write (a fork PR's read-only token): the report goes to the job summary, a warning, exit by findings", async () => {
    const f = await github({ refuseWrites: 403 });
    const summary = path.join(tmp, 'summary-403.md');
    writeFileSync(summary, '# earlier step\n');
    const failing = await runCli(['comment', '--github', RESULT, '--fail-on', 'warn'], { env: env(f, { GITHUB_STEP_SUMMARY: summary }) });
    expect(calls(f).at(-1)).toBe('POST /repos/acme/orders/issues/7/comments');
    expect(failing.err).toContain(
      'warning: GitHub refused the comment: POST /repos/acme/orders/issues/7/comments: HTTP 403 Resource not accessible by integration\n',
    );
    expect(failing.err).toContain('a pull request from a fork gets a read-only token');
    expect(failing.err).toContain('fail-on warn: 5 finding(s) at or above it');
    expect(failing.code).toBe(1);
    const written = readFileSync(summary, 'utf8');
    expect(written.startsWith(`# earlier step\n${PR_COMMENT_MARKER}`)).toBe(true);
    expect(written).toContain('createOrder');

    const passing = await runCli(['comment', '--github', RESULT], { env: env(f, { GITHUB_STEP_SUMMARY: summary }) });
    expect(passing.code).toBe(0);
    expect(readFileSync(summary, 'utf8').split(PR_COMMENT_MARKER)).toHaveLength(3);
    expectNoToken(failing, summary);
  });

  it('422 on the update: likewise, job summary and exit by findings (error: the sample has one)', async () => {
    const f = await github({ refuseWrites: 422, comments: [comment(51, 'lm-bot', `${PR_COMMENT_MARKER}\nold`)] });
    const summary = path.join(tmp, 'summary-422.md');
    const run = await runCli(['comment', '--github', RESULT, '--fail-on', 'error'], { env: env(f, { GITHUB_STEP_SUMMARY: summary }) });
    expect(calls(f).at(-1)).toBe('PATCH /repos/acme/orders/issues/comments/51');
    expect(run.err).toContain('warning: GitHub refused the comment: PATCH /repos/acme/orders/issues/comments/51: HTTP 422 Validation Failed');
    expect(run.err).toContain('warning: the report is in the job summary instead');
    expect(run.code).toBe(1);
    expect(readFileSync(summary, 'utf8').startsWith(PR_COMMENT_MARKER)).toBe(true);
  });

  it('401: one line, exit 2, and the token appears nowhere even when the server echoes it', async () => {
    const f = await github({ token: 'ghs_theOnlyValidToken', echoCredentialOn401: true });
    const summary = path.join(tmp, 'summary-401.md');
    writeFileSync(summary, '');
    const run = await runCli(['comment', '--github', RESULT, '--fail-on', 'warn'], { env: env(f, { GITHUB_STEP_SUMMARY: summary }) });
    expect(run.code).toBe(2);
    expect(run.err).toBe(
      'lambda-migrate: GitHub: GET /user: HTTP 401 Bad credentials: token ***\nhint: GITHUB_TOKEN is not valid (expired or revoked)\n',
    );
    expect(run.out).toBe('');
    expect(readFileSync(summary, 'utf8')).toBe('');
    expect(f.requests[0]?.authorization).toBe(`token ${TOKEN}`);
    expectNoToken(run, summary);
  });

  it('404 (wrong repository) and no answer at all both exit 2 with one line', async () => {
    const f = await github();
    const wrong = await runCli(['comment', '--github', '--body', BODY, '--repo', 'acme/other', '--author', 'lm-bot'], { env: env(f) });
    expect(wrong.code).toBe(2);
    expect(wrong.err).toBe(
      'lambda-migrate: GitHub: GET /repos/acme/other/issues/7/comments: HTTP 404 Not Found\nhint: check --repo / $GITHUB_REPOSITORY and --pr, and that the token can see the repository\n',
    );
    const closedUrl = f.url;
    await f.close();
    fake = undefined;
    const down = await runCli(['comment', '--github', '--body', BODY], { env: env(f, { GITHUB_API_URL: closedUrl }) });
    expect(down.code).toBe(2);
    expect(down.err).toMatch(
      /^lambda-migrate: GitHub: GET \/user: no answer from http:\/\/127\.0\.0\.1:\d+ \(.+\)\nhint: check \$GITHUB_API_URL and the network\n$/,
    );
    expectNoToken(down);
  });

  it('never sends the token to another host a pagination link points at', async () => {
    const f = await github({ comments: thread({}) });
    const elsewhere = f.url.replace('127.0.0.1', 'localhost');
    await f.close();
    fake = await startFakeGitHub({
      token: TOKEN,
      owner: 'acme',
      repo: 'orders',
      pr: 7,
      login: 'lm-bot',
      comments: thread({}),
      linkOrigin: elsewhere,
    });
    const run = await runCli(['comment', '--github', '--body', BODY], { env: env(fake) });
    expect(run.code).toBe(2);
    expect(run.err.split('\n')[0]).toBe(
      `lambda-migrate: GitHub: GitHub API answered with a link to another host (${new URL(elsewhere).origin}); not following it`,
    );
    expect(calls(fake)).toEqual(['GET /user', 'GET /repos/acme/orders/issues/7/comments?per_page=100']);
  });

  it('--fail-on on a result that carries a diff counts only the findings the change adds', async () => {
    const f = await github();
    const withDiff = path.join(tmp, 'with-diff.json');
    writeFileSync(withDiff, JSON.stringify(sampleResult));
    const run = await runCli(['comment', '--github', withDiff, '--fail-on', 'warn'], { env: env(f) });
    expect(run.err).toMatch(/^fail-on warn: \d+ new finding\(s\) at or above it$/m);
    expect(run.code).toBe(1);
    expect(f.comments).toHaveLength(1);
  });

  it('--dry-run reads the thread and says what it would do, writing nothing', async () => {
    const f = await github({ comments: [comment(61, 'lm-bot', `${PR_COMMENT_MARKER}\nold`)] });
    const run = await runCli(['comment', '--github', '--body', BODY, '--dry-run'], { env: env(f) });
    expect(run.code).toBe(0);
    expect(calls(f).every((c) => c.startsWith('GET '))).toBe(true);
    expect(run.out.split('\n')[0]).toBe(
      'would update comment 61 (https://github.com/acme/orders/pull/7#issuecomment-61) on acme/orders#7 as lm-bot; 1 comment(s) read in 1 page(s)',
    );
    expect(run.out).toContain(`\n\n${PR_COMMENT_MARKER}\n## lambda-migrate`);
    expect(f.comments[0]?.body).toBe(`${PR_COMMENT_MARKER}\nold`);
  });

  it('refuses bad input before any request: no --github, no token, no PR, a bad repo, both sources', async () => {
    const f = await github();
    const cases: [string[], Record<string, string>, string][] = [
      [['comment', '--body', BODY], env(f), 'lambda-migrate: say where to comment: --github\n'],
      [['comment', '--github', '--body', BODY], env(f, { GITHUB_TOKEN: '' }), 'lambda-migrate: no GitHub token: set GITHUB_TOKEN\n'],
      [['comment', '--github', '--body', BODY], env(f, { GITHUB_EVENT_PATH: '' }), 'lambda-migrate: which pull request? pass --pr N\n'],
      [['comment', '--github', '--body', BODY, '--repo', 'not a repo'], env(f), "lambda-migrate: bad repository 'not a repo'\n"],
      [['comment', '--github', RESULT, '--body', BODY], env(f), 'lambda-migrate: give a result file or --body FILE (one of them)\n'],
      [
        ['comment', '--github', '--body', BODY],
        env(f, { GITHUB_API_URL: 'api.github.com' }),
        "lambda-migrate: bad $GITHUB_API_URL 'api.github.com'\n",
      ],
      [
        ['comment', '--github', '--body', BODY, '--fail-on', 'warn'],
        env(f),
        'lambda-migrate: --fail-on needs a result file: a prepared --body carries no findings\n',
      ],
      [
        ['comment', '--github', RESULT, '--fail-on', 'init-ms=50'],
        env(f),
        'lambda-migrate: --fail-on init-ms=50 needs a base result to compare with, and there is none\n',
      ],
    ];
    for (const [argv, e, first] of cases) {
      const run = await runCli(argv, { env: e });
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.err.split('\n')[0] + '\n').toBe(first);
    }
    expect(f.requests).toEqual([]);
  });
});
