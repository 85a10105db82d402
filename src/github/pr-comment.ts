/**
 * The one GitHub write this tool makes: create or update its comment on a pull request. The comment is found by the
 * hidden marker (src/report/marker.ts) AND its author, so a comment by someone else that quotes the marker is never
 * touched. The only module that imports Octokit (eslint.config.js enforces it).
 *
 * The author is the identity behind the token: `--author`, else `GET /user`; a GitHub App or Actions token may not
 * call `GET /user` (403), and the Actions token comments as `github-actions[bot]`, so that is the fallback.
 */
import { Octokit } from '@octokit/core';
import { paginateRest } from '@octokit/plugin-paginate-rest';
import { PR_COMMENT_MARKER } from '../report/marker.js';

export const ACTIONS_BOT = 'github-actions[bot]';
export const DEFAULT_API_URL = 'https://api.github.com';
/** GitHub's limit on an issue comment body, in characters. */
export const MAX_COMMENT_CHARS = 65_536;
const PER_PAGE = 100;
const DEFAULT_TIMEOUT_MS = 60_000;

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
  /** For the whole upsert, all pages included. */
  timeoutMs?: number;
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
  ) {
    super(message);
    this.name = 'GitHubApiError';
  }

  /** 403 (a fork PR's read-only token, a missing permission) or 422 (GitHub refused the body): the comment cannot be written. */
  get refused(): boolean {
    return this.status === 403 || this.status === 422;
  }
}

const PaginatingOctokit = Octokit.plugin(paginateRest);
type Client = InstanceType<typeof PaginatingOctokit>;

export async function upsertPrComment(options: UpsertOptions): Promise<UpsertOutcome> {
  const client = createClient(options);
  const { owner, repo, pr } = options.target;
  const { author, source } = await resolveAuthor(client, options);

  const ours: { id: number; url: string; createdAt: string }[] = [];
  let commentsRead = 0;
  let pages = 0;
  const listing = 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments';
  await call(options, listing, async () => {
    const pager = client.paginate.iterator(listing, { owner, repo, issue_number: pr, per_page: PER_PAGE });
    for await (const page of pager) {
      pages++;
      for (const comment of page.data) {
        commentsRead++;
        if (comment.body?.includes(PR_COMMENT_MARKER) === true && sameLogin(comment.user?.login, author)) {
          // Ids come as bigint only past 2^53, which GitHub's ids are far from.
          ours.push({ id: Number(comment.id), url: comment.html_url, createdAt: comment.created_at });
        }
      }
    }
  });
  // Newest first: created_at, then id (ids grow with time) for comments made in the same second.
  ours.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : b.id - a.id));
  const [newest, ...older] = ours;
  const base = { author, authorSource: source, olderOurs: older.map((c) => c.id), commentsRead, pages };

  if (options.dryRun === true) {
    return newest === undefined
      ? { ...base, action: 'would-create', commentId: null, url: null }
      : { ...base, action: 'would-update', commentId: newest.id, url: newest.url };
  }
  if (newest !== undefined) {
    const updating = 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}';
    const updated = await call(options, updating, () => client.request(updating, { owner, repo, comment_id: newest.id, body: options.body }), newest.id);
    return { ...base, action: 'updated', commentId: Number(updated.data.id), url: updated.data.html_url };
  }
  const creating = 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments';
  const created = await call(options, creating, () => client.request(creating, { owner, repo, issue_number: pr, body: options.body }));
  return { ...base, action: 'created', commentId: Number(created.data.id), url: created.data.html_url };
}

function createClient(options: UpsertOptions): Client {
  const apiUrl = options.apiUrl.replace(/\/+$/, '');
  const origin = new URL(apiUrl).origin;
  const client = new PaginatingOctokit({
    auth: options.token,
    baseUrl: apiUrl,
    userAgent: 'lambda-migrate',
    request: { signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS) },
    // Octokit would print its warnings with console; this tool's output is the CLI's to decide.
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  // Pagination follows the Link header's absolute URLs: the token goes only to the API it was given for.
  client.hook.before('request', (request) => {
    if (/^https?:\/\//i.test(request.url) && new URL(request.url).origin !== origin) {
      throw new GitHubApiError(`GitHub API answered with a link to another host (${new URL(request.url).origin}); not following it`, null, 'paginate');
    }
  });
  return client;
}

async function resolveAuthor(client: Client, options: UpsertOptions): Promise<{ author: string; source: AuthorSource }> {
  if (options.author !== undefined) return { author: options.author, source: 'option' };
  try {
    const user = await call(options, 'GET /user', () => client.request('GET /user'));
    return { author: user.data.login, source: 'token' };
  } catch (err) {
    // An installation or Actions token may not read /user; the Actions token writes as github-actions[bot].
    if (err instanceof GitHubApiError && err.status === 403) return { author: ACTIONS_BOT, source: 'actions-fallback' };
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
    const status = statusOf(err);
    const detail = oneLine(githubMessage(err) ?? (err instanceof Error ? err.message : String(err)));
    const where = operation
      .replace('{owner}/{repo}', `${options.target.owner}/${options.target.repo}`)
      .replace('{issue_number}', String(options.target.pr))
      .replace('{comment_id}', String(commentId ?? '{comment_id}'));
    const message = status === null ? `${where}: no answer from ${options.apiUrl} (${detail})` : `${where}: HTTP ${status}${detail ? ` ${detail}` : ''}`;
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
