// Registers every mongoose model, so index sync and seeding see all of them.
import './modules/grid/grid.model';
import './modules/accounts/account.model';
import './modules/auth/user.model';
import './modules/auth/session.model';
import './modules/audit/audit.model';
import './modules/notify/sms-provider';
import './modules/events/counter.model';
import './modules/events/event.model';
import './modules/workorders/workorder.model';
import './modules/workorders/photo.store';
import './jobs/lease';
import './modules/billing/billing.model';
import './modules/outages/outage.model';
import './modules/settings/settings.model';
import './modules/notify/message.model';
import './modules/enterprise/enterprise.model';
import './modules/knowledge/knowledge.model';
