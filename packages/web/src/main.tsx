import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { StartFailure } from './app/start-failure';
import { loadServerConfig } from './lib/server-config';
import './styles.css';

const root = document.getElementById('root');
if (root) {
  // What the server serves (its province, the home province over time) is read once, before any screen.
  loadServerConfig().then(
    () =>
      createRoot(root).render(
        <StrictMode>
          <App />
        </StrictMode>,
      ),
    (err: unknown) =>
      createRoot(root).render(
        <StrictMode>
          <StartFailure error={err} />
        </StrictMode>,
      ),
  );
}
