import { createBrowserRouter } from 'react-router';
import { AccountPage } from '../features/account/components/AccountPage.tsx';
import { AuditPage } from '../features/audit/components/AuditPage.tsx';
import { ForgotPasswordPage } from '../features/auth/components/ForgotPasswordPage.tsx';
import { LoginPage } from '../features/auth/components/LoginPage.tsx';
import { ResetPasswordPage } from '../features/auth/components/ResetPasswordPage.tsx';
import { StartPage } from '../features/home/components/StartPage.tsx';
import { ConfirmationsPage } from '../features/instruction/components/ConfirmationsPage.tsx';
import { InstructionEditPage } from '../features/instruction/components/InstructionEditPage.tsx';
import { OutboxPage } from '../features/mail/components/OutboxPage.tsx';
import { InvitationAcceptPage } from '../features/memberships/components/InvitationAcceptPage.tsx';
import { MembersPage } from '../features/memberships/components/MembersPage.tsx';
import { OrgTreePage } from '../features/orgs/components/OrgTreePage.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';
import { RequireAuth } from './RequireAuth.tsx';

export const router = createBrowserRouter([
  // Public pages
  { path: '/login', element: <LoginPage /> },
  { path: '/forgot-password', element: <ForgotPasswordPage /> },
  { path: '/reset-password/:token', element: <ResetPasswordPage /> },
  { path: '/invitation/:token', element: <InvitationAcceptPage /> },
  // Everything else needs a session and the confirmed instruction
  {
    element: <RequireAuth />,
    children: [
      { index: true, element: <StartPage /> },
      { path: 'orgs', element: <OrgTreePage /> },
      { path: 'members', element: <MembersPage /> },
      { path: 'audit', element: <AuditPage /> },
      { path: 'instruction/confirmations', element: <ConfirmationsPage /> },
      { path: 'admin/outbox', element: <OutboxPage /> },
      { path: 'admin/instruction', element: <InstructionEditPage /> },
      { path: 'account', element: <AccountPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
