import '@mantine/core/styles.css';
import '@mantine/dates/styles.css';
import '@mantine/notifications/styles.css';
import './app/app.css';
import { StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import './app/i18n.ts';

const root = document.getElementById('root');
if (!root) throw new Error('#root missing in index.html');

// Rendered at once, so the session check starts beside the download of the current language's
// common messages; what needs them waits (Suspense) until they are there.
createRoot(root).render(
  <StrictMode>
    <Suspense fallback={null}>
      <App />
    </Suspense>
  </StrictMode>,
);
