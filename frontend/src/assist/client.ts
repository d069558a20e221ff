/**
 * This page's name in the rounds it starts (assist.SuggestRequest.Client): the Go side cancels a
 * page's running round when that page starts another, and leaves the rounds of other pages (other
 * browser tabs, the desktop window) running. Random per page load; crypto.getRandomValues works
 * on plain http too, where crypto.randomUUID does not exist.
 */
export const PAGE_CLIENT: string = randomName();

function randomName(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return 'page-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
