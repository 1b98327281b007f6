import type { AppRouter } from '@power/api';
import type { inferRouterOutputs } from '@trpc/server';

/** The report screens' shapes, read from the API's own types (quality.types.ts) through the router. */
type Quality = inferRouterOutputs<AppRouter>['quality'];
export type Dashboard = Quality['dashboard'];
/** A registry entry as its tooltip shows it (quality.metrics). */
export type MetricDef = Quality['metrics'][number];
/** What the caller may filter by (quality.scope), names not ids. */
export type ScopeView = Quality['scope'];
export type AgentRowView = Dashboard['agents'][number];
export type GroupRowView = Dashboard['teams'][number];
export type Bucket = Dashboard['trend']['buckets'][number];
export type Series = Dashboard['trend']['series'][number];
export type CountItem = Dashboard['volumes']['byType'][number];
