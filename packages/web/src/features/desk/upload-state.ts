import type { FileEncoding, IngestResult } from '@watchfloor/core';
import type { ApiError } from '../../lib/api';

export type NumberChoice = 'auto' | 'vi' | 'en';
/** A CSV file's encoding: detected from its bytes, or declared. */
export type EncodingChoice = 'auto' | FileEncoding;

/**
 * The steps of a file upload: choose a file, see the dry run's preview
 * (what would be accepted, the rejected rows with their reasons, how
 * numbers and the text were read, where the period came from), then commit
 * the same file. Changing the file, the number style, the encoding or the
 * period declared drops the preview: a commit always follows a preview of
 * what it sends.
 */
export type UploadState =
  | { step: 'empty' }
  | { step: 'chosen'; file: File; numbers: NumberChoice; encoding: EncodingChoice; period: string }
  | { step: 'previewing'; file: File; numbers: NumberChoice; encoding: EncodingChoice; period: string }
  | { step: 'previewed'; file: File; numbers: NumberChoice; encoding: EncodingChoice; period: string; preview: IngestResult }
  | { step: 'committing'; file: File; numbers: NumberChoice; encoding: EncodingChoice; period: string; preview: IngestResult }
  | { step: 'committed'; file: File; numbers: NumberChoice; encoding: EncodingChoice; period: string; result: IngestResult }
  | { step: 'failed'; file: File; numbers: NumberChoice; encoding: EncodingChoice; period: string; error: Pick<ApiError, 'code' | 'message'>; preview?: IngestResult | undefined };

export type UploadAction =
  | { type: 'choose'; file: File | null }
  | { type: 'numbers'; numbers: NumberChoice }
  | { type: 'encoding'; encoding: EncodingChoice }
  | { type: 'period'; period: string }
  | { type: 'preview' }
  | { type: 'previewed'; result: IngestResult }
  | { type: 'commit' }
  | { type: 'committed'; result: IngestResult }
  | { type: 'failed'; error: Pick<ApiError, 'code' | 'message'> };

export const initialUpload: UploadState = { step: 'empty' };

export function uploadReducer(state: UploadState, action: UploadAction): UploadState {
  switch (action.type) {
    case 'choose':
      return action.file
        ? { step: 'chosen', file: action.file, numbers: state.step === 'empty' ? 'auto' : state.numbers, encoding: state.step === 'empty' ? 'auto' : state.encoding, period: state.step === 'empty' ? '' : state.period }
        : initialUpload;
    case 'numbers':
      return state.step === 'empty' ? state : { step: 'chosen', file: state.file, numbers: action.numbers, encoding: state.encoding, period: state.period };
    case 'encoding':
      return state.step === 'empty' ? state : { step: 'chosen', file: state.file, numbers: state.numbers, encoding: action.encoding, period: state.period };
    case 'period':
      return state.step === 'empty' ? state : { step: 'chosen', file: state.file, numbers: state.numbers, encoding: state.encoding, period: action.period };
    case 'preview':
      return state.step === 'empty' || state.step === 'previewing' || state.step === 'committing' ? state : { step: 'previewing', file: state.file, numbers: state.numbers, encoding: state.encoding, period: state.period };
    case 'previewed':
      return state.step === 'previewing' ? { step: 'previewed', file: state.file, numbers: state.numbers, encoding: state.encoding, period: state.period, preview: action.result } : state;
    case 'commit':
      return state.step === 'previewed' && canCommit(state.preview) ? { step: 'committing', file: state.file, numbers: state.numbers, encoding: state.encoding, period: state.period, preview: state.preview } : state;
    case 'committed':
      return state.step === 'committing' ? { step: 'committed', file: state.file, numbers: state.numbers, encoding: state.encoding, period: state.period, result: action.result } : state;
    case 'failed':
      return state.step === 'previewing' || state.step === 'committing'
        ? { step: 'failed', file: state.file, numbers: state.numbers, encoding: state.encoding, period: state.period, error: action.error, preview: state.step === 'committing' ? state.preview : undefined }
        : state;
  }
}

/** A preview is worth committing when at least one row would be accepted. */
export function canCommit(preview: IngestResult): boolean {
  return preview.accepted > 0;
}

/** Whether the state shows a preview the operator may commit now. */
export function commitReady(state: UploadState): boolean {
  return state.step === 'previewed' && canCommit(state.preview);
}
