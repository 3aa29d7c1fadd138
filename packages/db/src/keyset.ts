/** Where a page of a list read newest first ends: the last row's received time and id. */
export interface ReceivedKey {
  receivedAt: string;
  id: number;
}

/**
 * A list read newest first, a page at a time: `read(after, size)` answers
 * the rows past `after` (null: from the top) in (received time, id)
 * descending order, at most `size`; each page starts after the last row of
 * the one before, seeking the list's index, so a list of any length is
 * never held whole nor sorted anew, and no connection is held between
 * pages. `limit` rows at most when given.
 */
export async function* keysetPages<T extends ReceivedKey>(read: (after: ReceivedKey | null, size: number) => Promise<T[]>, limit: number | undefined, pageSize: number): AsyncGenerator<T[]> {
  let after: ReceivedKey | null = null;
  let left = limit ?? Number.POSITIVE_INFINITY;
  while (left > 0) {
    const size = Math.min(pageSize, left);
    const page = await read(after, size);
    if (page.length === 0) return;
    yield page;
    left -= page.length;
    if (page.length < size) return;
    const tail = page.at(-1)!;
    after = { receivedAt: tail.receivedAt, id: tail.id };
  }
}
