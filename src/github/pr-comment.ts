/**
 * The one GitHub write this tool makes: create or update its comment on a pull request. The comment is found by the
 * hidden marker (src/report/marker.ts) AND its author, so a comment by someone else that quotes the marker is never
 * touched. The only module that imports Octokit (eslint.config.js enforces it).
 *
 * The author is the identity behind the token: `--author`, else `GET /user`; a GitHub App or Actions token may not
 * call `GET /user` (403), and the Actions token comments as `github-actions[bot]`, so that is the fallback.
 *
 * Adversity (GitHub's documented limits, other runs, a misbehaving API):
 * - every request has its own timeout (`requestTimeoutMs`) under the budget of the whole upsert (`timeoutMs`);
 * - a rate limit (429, or 403 with `retry-after` or `x-ratelimit-remaining: 0`) is retried as GitHub documents it:
 *   after `retry-after` seconds, else at `x-ratelimit-reset`, else after a minute, doubling; a wait longer than
 *   `maxRetryWaitMs` or the budget is not waited, the error says so and the CLI falls back to the job summary;
 * - two runs on one PR (a re-run racing a push) end with one comment: the thread is re-read just before creating, and
 *   again after; of the comments created since this run first read the thread, the newest is adopted (updated with
 *   this body when it is not ours) and the others deleted;
 * - every field of every answer is checked (ids are positive integers, logins and URLs strings of their shape); an
 *   answer of another shape is a `malformed` GitHubApiError, never a TypeError.
 */
import { Octokit } from '@octokit/core';
import { paginateRest } from '@octokit/plugin-paginate-rest';
import { PR_COMMENT_MARKER } from '../report/marker.js';

export const ACTIONS_BOT = 'github-actions[bot]';
export const DEFAULT_API_URL = 'https://api.github.com';
/** GitHub's limit on an issue comment body, in characters. */
export const MAX_COMMENT_CHARS = 65_536;
const PER_PAGE = 100;
/** 100 pages of 100: far past the comments a pull request can hold in practice. */
const MAX_PAGES = 100;
const DEFAULT_TIMEOUT_MS = 120_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRY_WAIT_MS = 60_000;
const DEFAULT_RETRIES = 2;
/** GitHub's advice when a secondary rate limit names no time: wait at least a minute. */
const UNNAMED_RATE_LIMIT_WAIT_MS = 60_000;
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;

export interface PrTarget {
  owner: string;
  repo: string;
  pr: number;
}

export interface UpsertOptions {
  /** REST API base URL (`$GITHUB_API_URL`; GitHub Enterprise has its own). */
  apiUrl: string;
  token: string;
  target: PrTarget;
  body: string;
  /** Login whose comments count as ours; when absent, the token's identity (see the module comment). */
  author?: string;
  /** Read only: find the comment, say what would be done, write nothing. */
  dryRun?: boolean;
  /** For the whole upsert, all pages and retries included. Default 2 min. */
  timeoutMs?: number;
  /** For each request. Default 30 s. */
  requestTimeoutMs?: number;
  /** The longest rate-limit wait that is waited; GitHub asking for more ends the upsert (rate-limited). Default 60 s. */
  maxRetryWaitMs?: number;
  /** Rate-limit retries per request. Default 2. */
  retries?: number;
}

export type AuthorSource = 'option' | 'token' | 'actions-fallback';

export interface UpsertOutcome {
  action: 'created' | 'updated' | 'would-create' | 'would-update';
  /** The comment written (or that would be updated); null for a dry-run create. */
  commentId: number | null;
  url: string | null;
  author: string;
  authorSource: AuthorSource;
  /** Our older comments, left as they are (only the newest is updated). */
  olderOurs: number[];
  /** Comments read on the PR, and the pages they came in. */
  commentsRead: number;
  pages: number;
  /** Duplicates another run created at the same time, deleted (by this run or the other one). */
  removedDuplicates: number[];
  /** True when this run's comment lost the race to a newer one, which was updated with this body instead. */
  adopted: boolean;
}

/**
 * A GitHub API call that failed. The message is one line, names the call, and never holds the token. `status` is
 * null when no HTTP answer came (network, timeout).
 */
export class GitHubApiError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly operation: string,
    /** `rate-limited`: GitHub's limit held after the retries; `malformed`: an answer not of the documented shape. */
    readonly kind: 'http' | 'no-answer' | 'rate-limited' | 'malformed' = status === null ? 'no-answer' : 'http',
  ) {
    super(message);
    this.name = 'GitHubApiError';
  }

  /** 403 (a fork PR's read-only token, a missing permission) or 422 (GitHub refused the body): the comment cannot be written. */
  get refused(): boolean {
    return this.kind === 'http' && (this.status === 403 || this.status === 422);
  }

  /** The comment cannot be written now, through nothing wrong with the result: the report goes elsewhere (job summary). */
  get fallsBack(): boolean {
    return this.refused || this.kind === 'rate-limited' || this.kind === 'malformed';
  }
}

/** Thrown inside the request hook; `call` turns it into a GitHubApiError naming the operation. */
class HookError extends Error {
  constructor(
    readonly kind: 'rate-limited' | 'no-answer',
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

/** An answer of the wrong shape, found by the readers below; `call` names the operation. */
class MalformedAnswer extends Error {}

const PaginatingOctokit = Octokit.plugin(paginateRest);
type Client = InstanceType<typeof PaginatingOctokit>;

/** One of our comments as read from a listing, every field checked. */
interface OurComment {
  id: number;
  url: string;
  createdAt: string;
}

function get(obj: unknown, key: string): unknown {
  return typeof obj === 'object' && obj !== null ? Reflect.get(obj, key) : undefined;
}

/** A comment id: a positive safe integer (ids come as bigint only past 2^53, which GitHub's ids are far from). */
function idOf(value: unknown): number | null {
  const n = typeof value === 'bigint' ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : null;
}

function urlOf(value: unknown): string | null {
  return typeof value === 'string' && /^https?:\/\/[^\s]+$/.test(value) && value.length <= 2048 ? value : null;
}

/** A listing comment -> ours (marker and author) or null; a comment that is not an object, or has no id, is malformed. */
function readListed(raw: unknown, author: string): OurComment | null {
  const id = idOf(get(raw, 'id'));
  if (id === null) throw new MalformedAnswer('a comment without a valid id');
  const body = get(raw, 'body');
  const login = get(get(raw, 'user'), 'login');
  if (typeof body !== 'string' || !body.includes(PR_COMMENT_MARKER) || !sameLogin(typeof login === 'string' ? login : undefined, author)) return null;
  const createdAt = get(raw, 'created_at');
  const url = urlOf(get(raw, 'html_url'));
  if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt)) || url === null)
    throw new MalformedAnswer(`comment ${id} without a valid created_at or html_url`);
  return { id, url, createdAt };
}

/** Newest first: created_at, then id (ids grow with time) for comments made in the same second. */
function newestFirst(a: OurComment, b: OurComment): number {
  const ta = Date.parse(a.createdAt);
  const tb = Date.parse(b.createdAt);
  return ta !== tb ? tb - ta : b.id - a.id;
}

export async function upsertPrComment(options: UpsertOptions): Promise<UpsertOutcome> {
  const client = createClient(options);
  const { owner, repo, pr } = options.target;
  const { author, source } = await resolveAuthor(client, options);

  const first = await listOurs(client, options, author);
  const ours = [...first.ours].sort(newestFirst);
  const [newest, ...older] = ours;
  const base = {
    author,
    authorSource: source,
    olderOurs: older.map((c) => c.id),
    commentsRead: first.read,
    pages: first.pages,
    removedDuplicates: [],
    adopted: false,
  };

  if (options.dryRun === true) {
    return newest === undefined
      ? { ...base, action: 'would-create', commentId: null, url: null }
      : { ...base, action: 'would-update', commentId: newest.id, url: newest.url };
  }
  if (newest !== undefined) {
    const written = await update(client, options, newest.id);
    return { ...base, action: 'updated', commentId: written.id ?? newest.id, url: written.url ?? newest.url };
  }
  // Re-check before creating: a run that started a moment earlier may have created the comment meanwhile.
  const again = await listOurs(client, options, author);
  const adoptable = [...again.ours].sort(newestFirst)[0];
  if (adoptable !== undefined) {
    const written = await update(client, options, adoptable.id);
    return { ...base, action: 'updated', commentId: written.id ?? adoptable.id, url: written.url ?? adoptable.url, adopted: true };
  }
  const creating = 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments';
  const created = await call(options, creating, async () =>
    written(await client.request(creating, { owner, repo, issue_number: pr, body: options.body })),
  );
  const settled = await settleRace(client, options, author, new Set(first.ours.map((c) => c.id)), created.id);
  return { ...base, action: settled.adopted ? 'updated' : 'created', ...settled };
}

/**
 * After creating: the comments of ours created since this run first read the thread are the race's. The newest is
 * kept (this run's body goes into it when it is another run's); the others are deleted, a 404 meaning the other run
 * deleted it first. Both runs apply the same rule, so they agree on the one that stays.
 */
async function settleRace(
  client: Client,
  options: UpsertOptions,
  author: string,
  before: ReadonlySet<number>,
  mine: number | null,
): Promise<{ commentId: number | null; url: string | null; removedDuplicates: number[]; adopted: boolean }> {
  const after = await listOurs(client, options, author);
  const raced = after.ours.filter((c) => !before.has(c.id)).sort(newestFirst);
  const keep = raced[0];
  const own = after.ours.find((c) => c.id === mine);
  if (keep === undefined || raced.length === 1) return { commentId: mine, url: own?.url ?? null, removedDuplicates: [], adopted: false };
  const removed: number[] = [];
  for (const dup of raced.slice(1)) {
    await remove(client, options, dup.id);
    removed.push(dup.id);
  }
  if (keep.id === mine) return { commentId: mine, url: keep.url, removedDuplicates: removed, adopted: false };
  const w = await update(client, options, keep.id);
  return { commentId: w.id ?? keep.id, url: w.url ?? keep.url, removedDuplicates: removed, adopted: true };
}

async function listOurs(client: Client, options: UpsertOptions, author: string): Promise<{ ours: OurComment[]; read: number; pages: number }> {
  const { owner, repo, pr } = options.target;
  const ours: OurComment[] = [];
  let read = 0;
  let pages = 0;
  const listing = 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments';
  await call(options, listing, async () => {
    const pager = client.paginate.iterator(listing, { owner, repo, issue_number: pr, per_page: PER_PAGE });
    const seen = new Set<string>();
    for await (const page of pager) {
      pages++;
      // A Link header that points back at a page already read, or a thread longer than GitHub keeps, would page on
      // until the budget ran out: it is an answer not of the documented shape.
      if (seen.has(page.url) || pages > MAX_PAGES)
        throw new MalformedAnswer(`pagination that does not end (${pages} pages, back at a page already read or past ${MAX_PAGES})`);
      seen.add(page.url);
      const data: unknown = page.data;
      if (!Array.isArray(data)) throw new MalformedAnswer('a page that is not a list of comments');
      for (const raw of data as unknown[]) {
        read++;
        const mine = readListed(raw, author);
        if (mine !== null) ours.push(mine);
      }
    }
  });
  return { ours, read, pages };
}

/** The id and URL of a written comment; null for a field not of its shape (the write itself went through). */
function written(response: { data: unknown }): { id: number | null; url: string | null } {
  return { id: idOf(get(response.data, 'id')), url: urlOf(get(response.data, 'html_url')) };
}

async function update(client: Client, options: UpsertOptions, commentId: number): Promise<{ id: number | null; url: string | null }> {
  const { owner, repo } = options.target;
  const updating = 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}';
  return call(
    options,
    updating,
    async () => written(await client.request(updating, { owner, repo, comment_id: commentId, body: options.body })),
    commentId,
  );
}

async function remove(client: Client, options: UpsertOptions, commentId: number): Promise<void> {
  const { owner, repo } = options.target;
  const deleting = 'DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}';
  try {
    await call(options, deleting, () => client.request(deleting, { owner, repo, comment_id: commentId }), commentId);
  } catch (err) {
    // Already gone: the other run of the race deleted it.
    if (err instanceof GitHubApiError && err.status === 404) return;
    throw err;
  }
}

function createClient(options: UpsertOptions): Client {
  const apiUrl = options.apiUrl.replace(/\/+$/, '');
  const origin = new URL(apiUrl).origin;
  const total = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const budgetEnd = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const client = new PaginatingOctokit({
    auth: options.token,
    baseUrl: apiUrl,
    userAgent: 'lambda-migrate',
    request: { signal: total },
    // Octokit would print its warnings with console; this tool's output is the CLI's to decide.
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  // Pagination follows the Link header's absolute URLs: the token goes only to the API it was given for.
  client.hook.before('request', (request) => {
    if (/^https?:\/\//i.test(request.url) && new URL(request.url).origin !== origin) {
      throw new GitHubApiError(
        `GitHub API answered with a link to another host (${new URL(request.url).origin}); not following it`,
        null,
        'paginate',
      );
    }
  });
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const maxWait = options.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS;
  const retries = options.retries ?? DEFAULT_RETRIES;
  client.hook.wrap('request', async (request, endpoint) => {
    for (let attempt = 0; ; attempt++) {
      // A controller of our own, held here until the request settles: a composite AbortSignal.any() that only the
      // fetch refers to can be collected before it fires, and the timeout with it.
      const own = new AbortController();
      const abort = (): void => own.abort(total.reason);
      const timer = setTimeout(() => own.abort(new Error('request timeout')), requestTimeoutMs);
      total.addEventListener('abort', abort, { once: true });
      try {
        // In place: the hooks inside this one (auth) were bound to this very options object, not to what is passed.
        endpoint.request = { ...endpoint.request, signal: own.signal };
        return await request(endpoint);
      } catch (err) {
        if (total.aborted)
          throw new HookError('no-answer', `the ${seconds(options.timeoutMs ?? DEFAULT_TIMEOUT_MS)} budget of the whole comment ran out`, null);
        if (own.signal.aborted) throw new HookError('no-answer', `no answer within ${seconds(requestTimeoutMs)}`, null);
        const wait = rateLimitWait(err, attempt);
        if (wait === null) throw err;
        const status = statusOf(err);
        if (attempt >= retries || wait > maxWait || Date.now() + wait >= budgetEnd) {
          const asked = wait > maxWait ? `; GitHub asks to wait ${seconds(wait)}, more than the ${seconds(maxWait)} this waits` : '';
          throw new HookError(
            'rate-limited',
            `HTTP ${status ?? 429} rate limit (secondary or primary), ${attempt} retr${attempt === 1 ? 'y' : 'ies'} made${asked}`,
            status,
          );
        }
        await sleep(wait, total);
      } finally {
        clearTimeout(timer);
        total.removeEventListener('abort', abort);
      }
    }
  });
  return client;
}

/**
 * How long GitHub asks to wait before retrying, when `err` is a rate limit: `retry-after` (seconds or an HTTP
 * date), else `x-ratelimit-reset` (epoch seconds) when `x-ratelimit-remaining` is 0, else a minute doubling per
 * attempt (https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api). Null: not a rate limit.
 */
export function rateLimitWait(err: unknown, attempt: number, now = Date.now()): number | null {
  const status = statusOf(err);
  if (status !== 429 && status !== 403) return null;
  const headers = get(get(err, 'response'), 'headers');
  const header = (name: string): string | undefined => {
    const v = get(headers, name);
    return typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : undefined;
  };
  const retryAfter = header('retry-after');
  const remaining = header('x-ratelimit-remaining');
  const message = githubMessage(err) ?? '';
  if (status === 403 && retryAfter === undefined && remaining !== '0' && !/rate limit/i.test(message)) return null;
  if (retryAfter !== undefined) {
    if (/^\d{1,6}$/.test(retryAfter)) return Number(retryAfter) * 1000;
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const reset = header('x-ratelimit-reset');
  if (remaining === '0' && reset !== undefined && /^\d{1,12}$/.test(reset)) return Math.max(0, Number(reset) * 1000 - now);
  return UNNAMED_RATE_LIMIT_WAIT_MS * 2 ** attempt;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

async function resolveAuthor(client: Client, options: UpsertOptions): Promise<{ author: string; source: AuthorSource }> {
  if (options.author !== undefined) return { author: options.author, source: 'option' };
  try {
    const login = await call(options, 'GET /user', async () => {
      const user = await client.request('GET /user');
      const value: unknown = get(user.data, 'login');
      if (typeof value !== 'string' || !LOGIN.test(value)) throw new MalformedAnswer('no valid login');
      return value;
    });
    return { author: login, source: 'token' };
  } catch (err) {
    // An installation or Actions token may not read /user; the Actions token writes as github-actions[bot].
    if (err instanceof GitHubApiError && err.refused && err.status === 403) return { author: ACTIONS_BOT, source: 'actions-fallback' };
    throw err;
  }
}

function sameLogin(login: string | undefined, author: string): boolean {
  // GitHub logins are case-insensitive.
  return login !== undefined && login.toLowerCase() === author.toLowerCase();
}

/** Runs one API call; any failure becomes a GitHubApiError with a one-line message free of the token. */
async function call<T>(options: UpsertOptions, operation: string, run: () => Promise<T>, commentId?: number): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof GitHubApiError) throw err;
    const where = operation
      .replace('{owner}/{repo}', `${options.target.owner}/${options.target.repo}`)
      .replace('{issue_number}', String(options.target.pr))
      .replace('{comment_id}', String(commentId ?? '{comment_id}'));
    if (err instanceof HookError) {
      const message = err.kind === 'no-answer' ? `${where}: no answer from ${options.apiUrl} (${err.message})` : `${where}: ${err.message}`;
      throw new GitHubApiError(redact(message, options.token), err.status, operation, err.kind);
    }
    if (err instanceof MalformedAnswer || err instanceof SyntaxError || err instanceof TypeError) {
      const what = err instanceof MalformedAnswer ? err.message : `unreadable (${err.name})`;
      throw new GitHubApiError(
        redact(`${where}: GitHub's answer is not of the documented shape: ${what}`, options.token),
        null,
        operation,
        'malformed',
      );
    }
    const status = statusOf(err);
    const detail = oneLine(githubMessage(err) ?? (err instanceof Error ? err.message : String(err)));
    const message =
      status === null ? `${where}: no answer from ${options.apiUrl} (${detail})` : `${where}: HTTP ${status}${detail ? ` ${detail}` : ''}`;
    throw new GitHubApiError(redact(message, options.token), status, operation);
  }
}

/** The HTTP status of an Octokit RequestError; null when the request got no answer (Octokit reports those as 500). */
function statusOf(err: unknown): number | null {
  if (!(err instanceof Error)) return null;
  const status: unknown = Reflect.get(err, 'status');
  const response: unknown = Reflect.get(err, 'response');
  return typeof status === 'number' && response !== undefined ? status : null;
}

/** GitHub's own `message` from an error answer, without the documentation link Octokit appends. */
function githubMessage(err: unknown): string | null {
  if (!(err instanceof Error)) return null;
  const response: unknown = Reflect.get(err, 'response');
  if (typeof response !== 'object' || response === null) return null;
  const data: unknown = Reflect.get(response, 'data');
  if (typeof data !== 'object' || data === null) return null;
  const message: unknown = Reflect.get(data, 'message');
  return typeof message === 'string' ? message : null;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}

/** Belt and braces: GitHub does not echo tokens, but nothing this module says may contain one. */
export function redact(text: string, token: string): string {
  return token === '' ? text : text.split(token).join('***');
}
