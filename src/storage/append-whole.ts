import type { FileSystemHandle } from './file-system';

/**
 * Appends `text` to a file opened to append, whose size is `sizeBefore`, and runs `then` (its fdatasync, say).
 * When either fails (a full disk, an I/O error) the file is cut back to `sizeBefore` before the error goes on, so
 * no half line is left for a later reader or writer to trip over; the cut is best effort, and a line it could not
 * remove is still a torn last line, which every reader of these files already sets aside.
 */
export async function appendWhole(handle: FileSystemHandle, text: string, sizeBefore: number, then: () => Promise<void> = async () => undefined): Promise<void> {
  try {
    await handle.write(text);
    await then();
  } catch (error) {
    await handle.truncate(sizeBefore).catch(() => undefined);
    throw error;
  }
}
