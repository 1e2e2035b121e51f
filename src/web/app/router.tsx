import { createBrowserRouter } from 'react-router';
import { lazyPage, preloadPages } from './lazy-page.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';
import { RequireAuth } from './RequireAuth.tsx';

// Every page is its own chunk (React.lazy), loaded with its message namespaces on first visit.

/** The caller screen shows "Nächster Anruf" without them; the first person card and "call back" use them. */
function prefetchForCalls() {
  void import('../features/people/phone-format.ts').then((m) => m.preloadPhoneFormat());
  void import('../features/calls/components/OutcomePanel.tsx').then((m) => m.loadDateFields());
}

export const router = createBrowserRouter([
  // Public pages
  {
    path: '/login',
    element: lazyPage(() => import('../features/auth/components/LoginPage.tsx'), 'LoginPage', ['auth']),
  },
  {
    path: '/forgot-password',
    element: lazyPage(
      () => import('../features/auth/components/ForgotPasswordPage.tsx'),
      'ForgotPasswordPage',
      ['auth'],
    ),
  },
  {
    path: '/reset-password/:token',
    element: lazyPage(
      () => import('../features/auth/components/ResetPasswordPage.tsx'),
      'ResetPasswordPage',
      ['auth'],
    ),
  },
  {
    path: '/invitation/:token',
    element: lazyPage(
      () => import('../features/memberships/components/InvitationAcceptPage.tsx'),
      'InvitationAcceptPage',
      ['memberships', 'auth'],
    ),
  },
  {
    path: '/join/:token',
    element: lazyPage(() => import('../features/calls/components/CallerJoinPage.tsx'), 'CallerJoinPage', [
      'calls',
      'auth',
    ]),
  },
  // Everything else needs a session and the confirmed instruction
  {
    element: <RequireAuth />,
    children: [
      {
        index: true,
        element: lazyPage(() => import('../features/home/components/StartPage.tsx'), 'StartPage', [
          'home',
          'imports',
        ]),
      },
      {
        path: 'orgs',
        element: lazyPage(() => import('../features/orgs/components/OrgTreePage.tsx'), 'OrgTreePage', [
          'orgs',
          'calls',
          'changes',
        ]),
      },
      {
        path: 'orgs/:id/changes',
        element: lazyPage(() => import('../features/changes/components/ChangesPage.tsx'), 'ChangesPage', [
          'changes',
          'people',
        ]),
      },
      {
        path: 'members',
        element: lazyPage(() => import('../features/memberships/components/MembersPage.tsx'), 'MembersPage', [
          'memberships',
        ]),
      },
      {
        path: 'people',
        element: lazyPage(
          () => import('../features/people/components/PeopleListPage.tsx'),
          'PeopleListPage',
          ['people', 'queries'],
        ),
      },
      {
        path: 'people/settings',
        element: lazyPage(
          () => import('../features/people/components/PeopleSettingsPage.tsx'),
          'PeopleSettingsPage',
          ['people'],
        ),
      },
      {
        path: 'lists',
        element: lazyPage(() => import('../features/queries/components/QueriesPage.tsx'), 'QueriesPage', [
          'queries',
        ]),
      },
      {
        path: 'lists/new',
        element: lazyPage(
          () => import('../features/queries/components/QueryEditorPage.tsx'),
          'QueryEditorPage',
          ['queries', 'calls'],
        ),
      },
      {
        path: 'lists/:id',
        element: lazyPage(
          () => import('../features/queries/components/QueryResultPage.tsx'),
          'QueryResultPage',
          ['queries', 'people'],
        ),
      },
      {
        path: 'lists/:id/edit',
        element: lazyPage(
          () => import('../features/queries/components/QueryEditorPage.tsx'),
          'QueryEditorPage',
          ['queries', 'calls'],
        ),
      },
      {
        path: 'mailings',
        element: lazyPage(() => import('../features/mail/components/MailingsPage.tsx'), 'MailingsPage', [
          'mail',
        ]),
      },
      {
        path: 'mailings/new',
        element: lazyPage(() => import('../features/mail/components/MailingPage.tsx'), 'MailingPage', [
          'mail',
        ]),
      },
      {
        path: 'mailings/settings',
        element: lazyPage(
          () => import('../features/mail/components/MailSettingsPage.tsx'),
          'MailSettingsPage',
          ['mail'],
        ),
      },
      {
        path: 'mailings/:id',
        element: lazyPage(() => import('../features/mail/components/MailingPage.tsx'), 'MailingPage', [
          'mail',
        ]),
      },
      {
        path: 'duplicates',
        element: lazyPage(
          () => import('../features/duplicates/components/DuplicatesPage.tsx'),
          'DuplicatesPage',
          ['duplicates'],
        ),
      },
      {
        path: 'imports',
        element: lazyPage(() => import('../features/imports/components/ImportPage.tsx'), 'ImportPage', [
          'imports',
        ]),
      },
      {
        path: 'people/:id',
        element: lazyPage(
          () => import('../features/people/components/PersonProfilePage.tsx'),
          'PersonProfilePage',
          ['people', 'calls', 'queries'],
        ),
      },
      {
        path: 'audit',
        element: lazyPage(() => import('../features/audit/components/AuditPage.tsx'), 'AuditPage', ['audit']),
      },
      {
        path: 'calls',
        element: lazyPage(
          () => import('../features/calls/components/CallerPage.tsx'),
          'CallerPage',
          ['calls'],
          prefetchForCalls,
        ),
      },
      {
        path: 'calls/:assignmentId',
        element: lazyPage(
          () => import('../features/calls/components/CallerPage.tsx'),
          'CallerPage',
          ['calls'],
          prefetchForCalls,
        ),
      },
      {
        path: 'call-assignments',
        element: lazyPage(
          () => import('../features/calls/components/CallAssignmentsPage.tsx'),
          'CallAssignmentsPage',
          ['calls'],
        ),
      },
      {
        path: 'call-assignments/new',
        element: lazyPage(
          () => import('../features/calls/components/AssignmentEditorPage.tsx'),
          'AssignmentEditorPage',
          ['calls', 'queries'],
        ),
      },
      {
        path: 'call-assignments/:id',
        element: lazyPage(
          () => import('../features/calls/components/AssignmentEditorPage.tsx'),
          'AssignmentEditorPage',
          ['calls', 'queries'],
        ),
      },
      {
        path: 'campaigns',
        element: lazyPage(
          () => import('../features/campaigns/components/CampaignsPage.tsx'),
          'CampaignsPage',
          ['campaigns', 'calls'],
        ),
      },
      {
        path: 'campaigns/new',
        element: lazyPage(
          () => import('../features/campaigns/components/CampaignEditorPage.tsx'),
          'CampaignEditorPage',
          ['campaigns', 'calls', 'queries'],
        ),
      },
      {
        path: 'campaigns/:id',
        element: lazyPage(
          () => import('../features/campaigns/components/CampaignEditorPage.tsx'),
          'CampaignEditorPage',
          ['campaigns', 'calls', 'queries'],
        ),
      },
      {
        path: 'campaigns/:id/dashboard',
        element: lazyPage(
          () => import('../features/campaigns/components/CampaignDashboardPage.tsx'),
          'CampaignDashboardPage',
          ['campaigns', 'calls'],
        ),
      },
      {
        path: 'instruction/confirmations',
        element: lazyPage(
          () => import('../features/instruction/components/ConfirmationsPage.tsx'),
          'ConfirmationsPage',
          ['instruction'],
        ),
      },
      {
        path: 'admin/outbox',
        element: lazyPage(() => import('../features/mail/components/OutboxPage.tsx'), 'OutboxPage', ['mail']),
      },
      {
        path: 'admin/sender-addresses',
        element: lazyPage(
          () => import('../features/mail/components/SenderAddressesPage.tsx'),
          'SenderAddressesPage',
          ['mail'],
        ),
      },
      {
        path: 'admin/jobs',
        element: lazyPage(() => import('../features/jobs/components/FailedJobsPage.tsx'), 'FailedJobsPage', [
          'jobs',
        ]),
      },
      {
        path: 'admin/instruction',
        element: lazyPage(
          () => import('../features/instruction/components/InstructionEditPage.tsx'),
          'InstructionEditPage',
          ['instruction'],
        ),
      },
      {
        path: 'account',
        element: lazyPage(() => import('../features/account/components/AccountPage.tsx'), 'AccountPage', [
          'account',
          'auth',
        ]),
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

preloadPages(router.state.matches.map((match) => match.route.element));
