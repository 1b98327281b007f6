import type { ReactNode } from 'react';
import { StaffShell } from '@/components/StaffShell';

export default function StaffConsoleLayout({ children }: { children: ReactNode }) {
  return <StaffShell>{children}</StaffShell>;
}
