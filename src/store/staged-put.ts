/** `AttachmentStore.put` of every backend: `stage`, then `commit` (a failed commit discards what was staged). */
import type { Readable } from 'node:stream';
import type { AttachmentKey, AttachmentMeta, StagedAttachment } from './store.js';

export async function putThroughStaging(
  stage: (content: Readable, maxBytes: number) => Promise<StagedAttachment>,
  key: AttachmentKey,
  content: Readable,
  meta: AttachmentMeta,
  maxBytes: number,
): Promise<{ size: number }> {
  const staged = await stage(content, maxBytes);
  try {
    await staged.commit(key, meta);
  } finally {
    await staged.discard();
  }
  return { size: staged.size };
}
