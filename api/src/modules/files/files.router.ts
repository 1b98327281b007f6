import { z } from 'zod';
import { authedProcedure, router } from '../../trpc/trpc';
import { FILE_PURPOSES, MAX_DOC_BYTES } from './file.rules';
import { storeUpload } from './file.service';

/** A 10 MB file is about 13.4 MB as base64; the data URL prefix adds a few bytes. */
const MAX_DATA_URL_CHARS = Math.ceil((MAX_DOC_BYTES * 4) / 3) + 100;

export const filesRouter = router({
  upload: authedProcedure
    .input(
      z.object({
        purpose: z.enum(FILE_PURPOSES, { error: '文件用途不正确' }),
        name: z.string({ error: '请提供文件名' }).trim().min(1, '请提供文件名').max(200, '文件名过长'),
        dataUrl: z.string({ error: '请选择文件' }).min(1, '请选择文件').max(MAX_DATA_URL_CHARS, '单个文件不能超过10MB'),
      }),
    )
    .mutation(({ ctx, input }) => storeUpload(ctx.user, input, { ip: ctx.ip })),
});
