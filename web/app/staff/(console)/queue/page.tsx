'use client';

import { QueueView } from '@/components/workorders/QueueView';

export default function QueuePage() {
  return <QueueView />;
}
