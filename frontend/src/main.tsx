import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startBenchProbe } from './bench/probe';
import { startTestProbe } from './testprobe/probe';
import './styles.css';

void startBenchProbe();
void startTestProbe();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
