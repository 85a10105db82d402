// Answers "when does the next digest go out?" for the reporting UI. Pure date arithmetic on the fixed cron
// (cron(15 5 * * ? *), UTC) declared in template.yaml: no clients, no I/O, nothing to load at init.

const RUN_HOUR_UTC = 5;
const RUN_MINUTE_UTC = 15;
const MAX_RUNS = 14;

export function nextRuns(now, count) {
  const runs = [];
  const candidate = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), RUN_HOUR_UTC, RUN_MINUTE_UTC));
  if (candidate <= now) candidate.setUTCDate(candidate.getUTCDate() + 1);
  while (runs.length < count) {
    runs.push(candidate.toISOString());
    candidate.setUTCDate(candidate.getUTCDate() + 1);
  }
  return runs;
}

export function reportedDay(runIso) {
  const run = new Date(runIso);
  run.setUTCDate(run.getUTCDate() - 1);
  return run.toISOString().slice(0, 10);
}

export const handler = async (event) => {
  const requested = Number.parseInt(event?.queryStringParameters?.count ?? '3', 10);
  if (!Number.isInteger(requested) || requested < 1 || requested > MAX_RUNS) {
    return {
      statusCode: 400,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: `count must be between 1 and ${MAX_RUNS}` }),
    };
  }
  const runs = nextRuns(new Date(), requested).map((at) => ({ at, covers: reportedDay(at) }));
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' },
    body: JSON.stringify({ schedule: 'daily 05:15 UTC', timezone: 'UTC', runs }),
  };
};
