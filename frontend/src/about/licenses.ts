/** What the app is built from and bundles, with each part's license (for the About box). */
export interface Part {
  name: string;
  what: string;
  license: string;
}

export const BUNDLED_PARTS: readonly Part[] = [
  { name: 'Go standard library', what: 'runtime, HTTP server and client', license: 'BSD-3-Clause' },
  { name: 'Wails v2', what: 'desktop shell', license: 'MIT' },
  { name: 'React', what: 'user interface', license: 'MIT' },
  { name: 'Echo', what: 'HTTP routing of the proxy', license: 'MIT' },
  { name: 'openai-go', what: 'OpenAI client for suggestions', license: 'Apache-2.0' },
  { name: 'Prometheus client_golang', what: 'proxy metrics', license: 'Apache-2.0' },
  { name: 'fsnotify', what: 'live config reload', license: 'BSD-3-Clause' },
  { name: 'samber/lo', what: 'collection helpers', license: 'MIT' },
];

/** Not bundled: provided by the system at run time. */
export const SYSTEM_PARTS =
  'The window uses the system web view: WebKitGTK (LGPL-2.1) on Linux, WebView2 on Windows, WKWebView on macOS.';
