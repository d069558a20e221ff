import './tasks/install'; // first: before React's scheduler is loaded
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startBenchProbe } from './bench/probe';
import { startTestProbe } from './testprobe/probe';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
void startBenchProbe(() => root.unmount());
void startTestProbe();

root.render(
  <StrictMode>
    <App />
  </StrictMode>,
);
