import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { isDomainError } from '../../lib/errors';
import { noteSchema } from '../../lib/schemas';
import { authedProcedure, router } from '../../trpc/trpc';
import { SETTING_KINDS } from './settings.rules';
import { currentSetting, publishSetting, rollbackSetting, settingHistory, settingsOverview, settingVersionDetail } from './settings.service';

const kind = z.enum(SETTING_KINDS, { error: '设置类别不正确' });
const versionNo = z.number({ error: '请选择版本' }).int('版本号须为整数').min(1, '版本号须为正整数');
const when = z.iso.datetime({ offset: true, error: '生效时间格式不正确' }).transform((s) => new Date(s));

/** Until trpc.ts maps DomainError everywhere: the same mapping, here (harmless once it does). */
const domain = <T>(p: Promise<T>): Promise<T> =>
  p.catch((e: unknown) => {
    if (isDomainError(e))
      throw new TRPCError({ code: e.code === 'SERVICE_UNAVAILABLE' ? 'INTERNAL_SERVER_ERROR' : e.code, message: e.message, cause: e });
    throw e;
  });

// Who may call each procedure: trpc/access-table.ts (reads: supervisor and admin; writes: admin).
export const settingsRouter = router({
  /** Every kind: the version in force and how many are scheduled. */
  overview: authedProcedure.query(() => settingsOverview()),
  /** One kind: the version in force now (value included), the newest version number, scheduled versions. */
  current: authedProcedure.input(z.object({ kind })).query(({ input }) => currentSetting(input.kind)),
  history: authedProcedure
    .input(z.object({ kind, limit: z.number().int().min(1).max(200).default(50) }))
    .query(({ input }) => settingHistory(input.kind, { limit: input.limit })),
  /** One version: its value and its before/after against the version before it. */
  version: authedProcedure
    .input(z.object({ kind, version: versionNo }))
    .query(({ input }) => domain(settingVersionDetail(input.kind, input.version))),
  /** A new version (validated against the kind's schema in the service). */
  publish: authedProcedure
    .input(
      z.object({
        kind,
        value: z.unknown().refine((v) => v !== undefined && v !== null, '请填写设置内容'),
        effectiveAt: when.nullish(),
        note: noteSchema(200),
        baseVersion: versionNo.nullish(),
      }),
    )
    .mutation(({ ctx, input }) => domain(publishSetting(ctx.user, input, ctx.ip))),
  /** A new version copying an earlier one. */
  rollback: authedProcedure
    .input(z.object({ kind, toVersion: versionNo, note: noteSchema(200), effectiveAt: when.nullish(), baseVersion: versionNo.nullish() }))
    .mutation(({ ctx, input }) => domain(rollbackSetting(ctx.user, input, ctx.ip))),
});
