import { createBrowserRouter } from 'react-router';
import { AccountPage } from '../features/account/components/AccountPage.tsx';
import { AuditPage } from '../features/audit/components/AuditPage.tsx';
import { ForgotPasswordPage } from '../features/auth/components/ForgotPasswordPage.tsx';
import { LoginPage } from '../features/auth/components/LoginPage.tsx';
import { ResetPasswordPage } from '../features/auth/components/ResetPasswordPage.tsx';
import { AssignmentEditorPage } from '../features/calls/components/AssignmentEditorPage.tsx';
import { CallAssignmentsPage } from '../features/calls/components/CallAssignmentsPage.tsx';
import { CallerJoinPage } from '../features/calls/components/CallerJoinPage.tsx';
import { CallerPage } from '../features/calls/components/CallerPage.tsx';
import { CampaignDashboardPage } from '../features/campaigns/components/CampaignDashboardPage.tsx';
import { CampaignEditorPage } from '../features/campaigns/components/CampaignEditorPage.tsx';
import { CampaignsPage } from '../features/campaigns/components/CampaignsPage.tsx';
import { DuplicatesPage } from '../features/duplicates/components/DuplicatesPage.tsx';
import { StartPage } from '../features/home/components/StartPage.tsx';
import { ImportPage } from '../features/imports/components/ImportPage.tsx';
import { ConfirmationsPage } from '../features/instruction/components/ConfirmationsPage.tsx';
import { InstructionEditPage } from '../features/instruction/components/InstructionEditPage.tsx';
import { OutboxPage } from '../features/mail/components/OutboxPage.tsx';
import { InvitationAcceptPage } from '../features/memberships/components/InvitationAcceptPage.tsx';
import { MembersPage } from '../features/memberships/components/MembersPage.tsx';
import { OrgTreePage } from '../features/orgs/components/OrgTreePage.tsx';
import { PeopleListPage } from '../features/people/components/PeopleListPage.tsx';
import { PeopleSettingsPage } from '../features/people/components/PeopleSettingsPage.tsx';
import { PersonProfilePage } from '../features/people/components/PersonProfilePage.tsx';
import { QueriesPage } from '../features/queries/components/QueriesPage.tsx';
import { QueryEditorPage } from '../features/queries/components/QueryEditorPage.tsx';
import { QueryResultPage } from '../features/queries/components/QueryResultPage.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';
import { RequireAuth } from './RequireAuth.tsx';

export const router = createBrowserRouter([
  // Public pages
  { path: '/login', element: <LoginPage /> },
  { path: '/forgot-password', element: <ForgotPasswordPage /> },
  { path: '/reset-password/:token', element: <ResetPasswordPage /> },
  { path: '/invitation/:token', element: <InvitationAcceptPage /> },
  { path: '/join/:token', element: <CallerJoinPage /> },
  // Everything else needs a session and the confirmed instruction
  {
    element: <RequireAuth />,
    children: [
      { index: true, element: <StartPage /> },
      { path: 'orgs', element: <OrgTreePage /> },
      { path: 'members', element: <MembersPage /> },
      { path: 'people', element: <PeopleListPage /> },
      { path: 'people/settings', element: <PeopleSettingsPage /> },
      { path: 'lists', element: <QueriesPage /> },
      { path: 'lists/new', element: <QueryEditorPage /> },
      { path: 'lists/:id', element: <QueryResultPage /> },
      { path: 'lists/:id/edit', element: <QueryEditorPage /> },
      { path: 'duplicates', element: <DuplicatesPage /> },
      { path: 'imports', element: <ImportPage /> },
      { path: 'people/:id', element: <PersonProfilePage /> },
      { path: 'audit', element: <AuditPage /> },
      { path: 'calls', element: <CallerPage /> },
      { path: 'calls/:assignmentId', element: <CallerPage /> },
      { path: 'call-assignments', element: <CallAssignmentsPage /> },
      { path: 'call-assignments/new', element: <AssignmentEditorPage /> },
      { path: 'call-assignments/:id', element: <AssignmentEditorPage /> },
      { path: 'campaigns', element: <CampaignsPage /> },
      { path: 'campaigns/new', element: <CampaignEditorPage /> },
      { path: 'campaigns/:id', element: <CampaignEditorPage /> },
      { path: 'campaigns/:id/dashboard', element: <CampaignDashboardPage /> },
      { path: 'instruction/confirmations', element: <ConfirmationsPage /> },
      { path: 'admin/outbox', element: <OutboxPage /> },
      { path: 'admin/instruction', element: <InstructionEditPage /> },
      { path: 'account', element: <AccountPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
