/**
 * The browser's side of export and import: a download of what Go exported, a file picked with
 * the browser's own file input. (The desktop window uses native dialogs instead.)
 */
import type { ExportedFile } from './types';

/** Hands a file to the browser as a download. */
export function download(file: ExportedFile): void {
  const url = URL.createObjectURL(new Blob([file.content], { type: file.mime || 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started from the URL by now; keep it a while for slow browsers.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export interface PickedFile {
  name: string;
  content: string;
}

/** What import accepts. */
export const IMPORT_ACCEPT = '.txt,.md,.markdown,.json,text/plain,text/markdown,application/json';

/**
 * Opens the browser's file picker (call it while handling the key or click, which lets the page
 * open it) and calls `onPicked` with the chosen file's name and text once one is chosen. A
 * cancelled picker calls nothing. The input stays in the page (hidden, labelled) until a file is
 * chosen or the next pick replaces it: some browsers report `cancel` before a file after all
 * (Firefox when WebDriver BiDi answers its picker), and a late choice still counts.
 */
export function pickFile(onPicked: (file: Promise<PickedFile>) => void, accept = IMPORT_ACCEPT): void {
  for (const old of document.querySelectorAll('input[type="file"][data-import]')) old.remove();
  const input = document.createElement('input');
  input.type = 'file';
  input.accept = accept;
  input.hidden = true;
  input.setAttribute('aria-label', 'Import a file');
  input.dataset.import = '';
  document.body.append(input);
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (!file) return;
    input.remove();
    onPicked(file.text().then((content) => ({ name: file.name, content })));
  });
  input.click();
}
