import { parentPort } from 'node:worker_threads';
import { extractorFingerprint } from './fact-cache.js';
import { extractOutcome, portable } from './file-outcome.js';

/**
 * A parse worker of `ParsePool`: takes batches of `{ file, text }`, answers with each file's outcome (portable, so
 * the facts' null-prototype tables survive the structured clone). It reads no file and keeps no state: the main
 * thread reads every text through the SourceTree and owns the fact cache.
 */
export interface ParseRequest {
  id: number;
  jobs: { file: string; text: string }[];
}

const port = parentPort;
if (port !== null) {
  port.on('message', (request: ParseRequest) => {
    port.postMessage({ id: request.id, results: request.jobs.map((job) => portable(extractOutcome(job.file, job.text))) });
  });
  port.postMessage({ ready: extractorFingerprint() });
}
