import { router } from './trpc';
import { authRouter } from '../modules/auth/auth.router';
import { accountRouter } from '../modules/accounts/account.router';
import { staffRouter } from '../modules/staff/staff.router';
import { devRouter } from '../modules/notify/dev.router';
import { workorderRouter } from '../modules/workorders/workorder.router';
import { billingRouter } from '../modules/billing/billing.router';
import { outageRouter } from '../modules/outages/outage.router';
import { messagesRouter } from '../modules/notify/messages.router';
import { settingsRouter } from '../modules/settings/settings.router';
import { adminRouter } from '../modules/admin/admin.router';
import { enterpriseRouter } from '../modules/enterprise/enterprise.router';
import { applicationRouter } from '../modules/applications/application.router';
import { statementsRouter } from '../modules/statements/statements.router';
import { filesRouter } from '../modules/files/files.router';
import { portfolioRouter } from '../modules/portfolio/portfolio.router';
import { entMessagesRouter } from '../modules/enterprise-messages/thread.router';
import { knowledgeRouter } from '../modules/knowledge/knowledge.router';
import { pointsRouter } from '../modules/points/points.router';
import { warningsRouter } from '../modules/warnings/warnings.router';
import { qualityRouter } from '../modules/quality/quality.router';

export const appRouter = router({
  auth: authRouter,
  account: accountRouter,
  staff: staffRouter,
  dev: devRouter,
  workorder: workorderRouter,
  billing: billingRouter,
  outage: outageRouter,
  messages: messagesRouter,
  settings: settingsRouter,
  admin: adminRouter,
  enterprise: enterpriseRouter,
  application: applicationRouter,
  statements: statementsRouter,
  files: filesRouter,
  portfolio: portfolioRouter,
  entMessages: entMessagesRouter,
  knowledge: knowledgeRouter,
  points: pointsRouter,
  warnings: warningsRouter,
  quality: qualityRouter,
});

/** The only thing the web app and the mini-program import from the API: a type. */
export type AppRouter = typeof appRouter;
