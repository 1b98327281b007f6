import { z } from 'zod';
import { authedProcedure, router } from '../../trpc/trpc';
import { objectIdSchema, phoneSchema } from '../../lib/schemas';
import { AREA_TYPES } from '../grid/grid.model';
import { CREW_CAPACITY_MAX, CREW_CAPACITY_MIN, GRANTABLE_ROLES } from './org.rules';
import {
  createCrew,
  createStaffUser,
  listCrewsWithLoad,
  listStaffUsers,
  resetStaffPassword,
  setStaffUserDisabled,
  updateCrew,
  updateStaffUser,
  type Actor,
} from './org.service';
import { addGridNode, listRegions, moveTransformerArea, regionTree, renameGridNode } from './grid-admin.service';

// Who may call each procedure (admin writes; supervisors read users and crews): trpc/access-table.ts.
// Refusals are DomainErrors from the rules and services, turned into tRPC errors once in trpc/trpc.ts.

const actorOf = (ctx: { user: Actor['user']; ip: string }): Actor => ({ user: ctx.user, ip: ctx.ip });

const displayName = z.string({ error: '请填写姓名' }).trim().min(2, '姓名须为2–20个字').max(20, '姓名须为2–20个字');
const roles = z
  .array(z.enum(GRANTABLE_ROLES as [string, ...string[]], { error: '只能授予员工角色' }), { error: '请选择角色' })
  .min(1, '请至少选择一个角色')
  .max(7);
const userFields = {
  displayName,
  phone: phoneSchema.nullish(),
  roles,
  regionId: objectIdSchema.nullish(),
  crewId: objectIdSchema.nullish(),
};
const username = z
  .string({ error: '请填写用户名' })
  .trim()
  .regex(/^[A-Za-z][A-Za-z0-9_]{2,31}$/, '用户名须以字母开头，3–32位字母、数字或下划线');
const reason = z.string().trim().max(200, '原因不能超过200字').nullish();

const capacity = z
  .number({ error: `请填写班组容量（${CREW_CAPACITY_MIN}–${CREW_CAPACITY_MAX}）` })
  .int(`班组容量须为${CREW_CAPACITY_MIN}–${CREW_CAPACITY_MAX}之间的整数`)
  .min(CREW_CAPACITY_MIN, `班组容量须为${CREW_CAPACITY_MIN}–${CREW_CAPACITY_MAX}之间的整数`)
  .max(CREW_CAPACITY_MAX, `班组容量须为${CREW_CAPACITY_MIN}–${CREW_CAPACITY_MAX}之间的整数`);
const crewFields = {
  name: z.string({ error: '请填写班组名称' }).trim().min(2, '班组名称须为2–30个字').max(30, '班组名称须为2–30个字'),
  regionId: objectIdSchema,
  capacity,
  workPhone: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? null : v),
    z
      .string()
      .trim()
      .regex(/^(0\d{2,3}-?\d{7,8}|1[3-9]\d{9})$/, '工作电话格式不正确（如 0731-88600011）')
      .nullish(),
  ),
};

const nodeName = z.string({ error: '请填写名称' }).trim().min(2, '名称须为2–40个字').max(40, '名称须为2–40个字');
const areaType = z.enum(AREA_TYPES, { error: '请选择城区、农村或偏远' });

export const adminRouter = router({
  // ---- staff users and roles
  users: authedProcedure
    .input(
      z
        .object({
          search: z.string().trim().max(40).nullish(),
          role: z.enum(GRANTABLE_ROLES as [string, ...string[]]).nullish(),
          regionId: objectIdSchema.nullish(),
          includeDisabled: z.boolean().optional(),
        })
        .optional(),
    )
    .query(({ input }) => listStaffUsers(input ?? {})),
  createUser: authedProcedure.input(z.object({ username, ...userFields })).mutation(({ ctx, input }) => createStaffUser(actorOf(ctx), input)),
  updateUser: authedProcedure
    .input(z.object({ userId: objectIdSchema, ...userFields }))
    .mutation(({ ctx, input }) => updateStaffUser(actorOf(ctx), input.userId, input)),
  setUserDisabled: authedProcedure
    .input(z.object({ userId: objectIdSchema, disabled: z.boolean({ error: '缺少停用/启用' }), reason }))
    .mutation(({ ctx, input }) => setStaffUserDisabled(actorOf(ctx), input.userId, input.disabled, input.reason)),
  resetPassword: authedProcedure
    .input(z.object({ userId: objectIdSchema }))
    .mutation(({ ctx, input }) => resetStaffPassword(actorOf(ctx), input.userId)),

  // ---- regions and crews
  regions: authedProcedure.query(() => listRegions()),
  crews: authedProcedure
    .input(z.object({ regionId: objectIdSchema.nullish() }).optional())
    .query(({ input }) => listCrewsWithLoad({ regionId: input?.regionId })),
  createCrew: authedProcedure.input(z.object(crewFields)).mutation(({ ctx, input }) => createCrew(actorOf(ctx), input)),
  updateCrew: authedProcedure
    .input(z.object({ crewId: objectIdSchema, ...crewFields }))
    .mutation(({ ctx, input }) => updateCrew(actorOf(ctx), input.crewId, input)),

  // ---- grid topology
  gridTree: authedProcedure.input(z.object({ regionId: objectIdSchema })).query(({ input }) => regionTree(input.regionId)),
  addGridNode: authedProcedure
    .input(
      z.object({
        kind: z.enum(['region', 'substation', 'feeder', 'transformer_area'], { error: '请选择节点类型' }),
        parentId: objectIdSchema.nullish(),
        name: nodeName,
        areaType: areaType.nullish(),
      }),
    )
    .mutation(({ ctx, input }) => addGridNode(actorOf(ctx), input)),
  renameGridNode: authedProcedure
    .input(z.object({ nodeId: objectIdSchema, name: nodeName }))
    .mutation(({ ctx, input }) => renameGridNode(actorOf(ctx), input.nodeId, input.name)),
  moveArea: authedProcedure
    .input(z.object({ areaId: objectIdSchema, fromFeederId: objectIdSchema, toFeederId: objectIdSchema }))
    .mutation(({ ctx, input }) => moveTransformerArea(actorOf(ctx), input)),
});
