'use client';

import type { AppRouter } from '@power/api';
import type { inferRouterOutputs } from '@trpc/server';
import type { Role } from './roles';

type Out = inferRouterOutputs<AppRouter>;
/** A staff user as the admin console lists them (phone masked). */
export type StaffUserRow = Out['admin']['users'][number];
export type CrewRow = Out['admin']['crews'][number];
export type RegionRow = Out['admin']['regions'][number];
export type GridTreeNode = Out['admin']['gridTree'];

/** Roles an admin may grant, in the order the console shows them (labels: t.enums.role). */
export const GRANTABLE_ROLES: Role[] = ['agent', 'expert', 'dispatcher', 'crew', 'area_manager', 'supervisor', 'admin'];

export const ROLE_COLOR: Record<string, string> = {
  agent: 'blue',
  expert: 'geekblue',
  dispatcher: 'purple',
  crew: 'orange',
  area_manager: 'gold',
  supervisor: 'cyan',
  admin: 'red',
};

export const USERNAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{2,31}$/;
export const PHONE_PATTERN = /^1[3-9]\d{9}$/;
export const WORK_PHONE_PATTERN = /^(0\d{2,3}-?\d{7,8}|1[3-9]\d{9})$/;
