import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles.css';

// Skipping off-screen sections (content-visibility) keeps 10,000 fragments fast in Chromium and
// WebView2 (also HeadlessChrome); WebKitGTK (the Linux desktop) paints such sections blank, so it
// renders them all.
if (/(Chrome|Chromium|Edg)\//.test(navigator.userAgent)) document.documentElement.classList.add('skip-offscreen');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
