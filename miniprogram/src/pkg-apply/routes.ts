/** Pages of the 业务办理 subpackage (kept apart so the main package's service tab imports only these strings). */
export const APPLY_ROUTES = {
  list: '/pkg-apply/list/index',
  form: '/pkg-apply/new/index',
  tracker: '/pkg-apply/tracker/index',
} as const;
export const trackerUrl = (id: string) => `${APPLY_ROUTES.tracker}?id=${encodeURIComponent(id)}`;
export const formUrl = (kind: string) => `${APPLY_ROUTES.form}?kind=${encodeURIComponent(kind)}`;
