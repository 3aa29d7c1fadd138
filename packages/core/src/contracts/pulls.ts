import { route } from '../contract';
import { pullJobSchema } from '../pull';
import { runSchema } from '../sources';
import { sourceParams } from './sources';

/** The HTTP contract of pulls: run one now, and see a pull source's job. See ../contract.ts. */

const TAGS = ['sources'];

export const run = route({
  method: 'POST',
  path: '/api/sources/:code/pull',
  tags: TAGS,
  summary: 'Pull an http_pull or sql_pull source now',
  description:
    'Reads what is new since the cursor of the last committed batch and answers with the run. A pull that fails answers the run too, ' +
    'with status `failed` and `errorCode` (`source_unreachable`, `source_timeout`, `source_bad_answer`, `invalid_pull_config`…); its ' +
    'committed batches are kept, and the retry resumes from there. 409 `source_not_pullable` for other kinds of source, ' +
    '`source_disabled` for a disabled one, `pull_in_progress` while a pull of the source runs (on any instance). A source outside the caller’s scope ' +
    'answers 404; one they may read but not supply, 403 `forbidden`.',
  params: sourceParams,
  response: runSchema,
  errors: [400, 403, 404, 409],
});

export const job = route({
  method: 'GET',
  path: '/api/sources/:code/job',
  tags: TAGS,
  summary: "A pull source's job: next run, failed attempts in a row, last error, cursor",
  params: sourceParams,
  response: pullJobSchema,
  errors: [400, 404, 409],
});
