export * from './types';
export * from './convert';
export { documentsApi } from './api';
export { useDocumentBoot, startSession, StartupLoading } from './boot';
export { useDocuments, type DocumentSession, type DocumentsUi, type LibraryController, THROTTLE_MS, NO_SERVER } from './useDocuments';
export { LibraryOverlay } from './LibraryOverlay';
