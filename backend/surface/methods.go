package surface

import (
	"fragmenteditor/backend/assist"
	"fragmenteditor/backend/config"
	"fragmenteditor/backend/documents"
	"fragmenteditor/backend/llproxy"
)

// Door says which doors serve a method.
type Door int

const (
	// Both: the desktop window and HTTP (methods of API).
	Both Door = iota
	// Desktop: only the desktop window (methods of App in package main):
	// quitting, native file dialogs, the app's own settings, and the proxy
	// config editor (its text holds the backends' keys, so it is not
	// served to the network).
	Desktop
)

// Method is one row of the table.
type Method struct {
	Name string
	Door Door
}

// Methods is every method the page calls, in one table. Add a method here
// and to API (Both) or App (Desktop); the door tests check the rest.
var Methods = []Method{
	// app
	{"Version", Both},
	{"FrontendReady", Both},
	{"StartupProblems", Both},
	{"Quit", Desktop},
	{"ReadyToQuit", Desktop},
	{"ClosingAlive", Desktop},
	{"AppSettings", Desktop},
	{"SetAppSettings", Desktop},
	{"EditorServing", Desktop},
	{"BenchReport", Desktop},
	{"TestProbe", Desktop},
	// proxy
	{"ProxyStatus", Both},
	{"ProxyLogs", Both},
	{"RescanModels", Both},
	{"ProxyConfigText", Desktop},
	{"ValidateProxyConfig", Desktop},
	{"SaveProxyConfig", Desktop},
	{"FreePort", Desktop},
	// assist
	{"AssistModels", Both},
	{"AssistSettings", Both},
	{"AssistSetModelSettings", Both},
	{"AssistSuggest", Both},
	{"AssistRegenerate", Both},
	{"AssistPreview", Both},
	{"AssistCancel", Both},
	{"AssistCancelAll", Both},
	// documents
	{"StartDocument", Both},
	{"DocumentChanged", Both},
	{"DocumentPatched", Both},
	{"SaveDocument", Both},
	{"SaveDocumentAsCopy", Both},
	{"OpenDocument", Both},
	{"NewDocument", Both},
	{"ListDocuments", Both},
	{"ListTrash", Both},
	{"RenameDocument", Both},
	{"DuplicateDocument", Both},
	{"DeleteDocument", Both},
	{"RestoreDocument", Both},
	{"DocumentHistory", Both},
	{"RestoreVersion", Both},
	{"ExportDocumentData", Both},
	{"ImportDocumentData", Both},
	{"ExportDocument", Desktop},
	{"SaveDocumentCopy", Desktop},
	{"ImportDocument", Desktop},
}

// Served reports whether the HTTP door serves the named method.
func Served(name string) bool {
	for _, m := range Methods {
		if m.Name == name {
			return m.Door == Both
		}
	}
	return false
}

// --- app ---

// Version is the build's version, for the About box.
func (a *API) Version() string { return a.version }

// FrontendReady is called by the page once it has mounted; desktop tests
// wait for the log line it writes.
func (a *API) FrontendReady() { a.log.Info("frontend ready") }

// StartupProblems lists what failed at start, for the page to show.
func (a *API) StartupProblems() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.problems...)
}

// --- proxy ---

// ProxyStatus is the proxy's state: address, models, last discovery run.
func (a *API) ProxyStatus() (llproxy.Status, error) {
	return with(a.proxy, fine((*llproxy.Service).Status))
}

// ProxyLogs are the recent discovery and request log records.
func (a *API) ProxyLogs() ([]llproxy.LogEntry, error) {
	return with(a.proxy, fine((*llproxy.Service).Logs))
}

// RescanModels runs discovery now.
func (a *API) RescanModels() {
	_ = do(a.proxy, func(p *llproxy.Service) error { p.Rescan(); return nil })
}

// --- assist ---

// AssistModels lists the discovered models with their suggestion settings,
// in panel order.
func (a *API) AssistModels() ([]assist.ModelInfo, error) {
	return with(a.assist, fine((*assist.Service).Models))
}

// AssistSettings are all suggestion settings, with recent instructions.
func (a *API) AssistSettings() (assist.AllSettings, error) {
	return with(a.assist, fine((*assist.Service).Settings))
}

// AssistSetModelSettings changes and saves one model's settings.
func (a *API) AssistSetModelSettings(name string, s assist.ModelSettings) error {
	return do(a.assist, func(svc *assist.Service) error { return svc.SetModelSettings(name, s) })
}

// AssistSuggest starts a round of suggestions or rewrites (cancelling the
// running one); its batches arrive as assist:batch events.
func (a *API) AssistSuggest(req assist.SuggestRequest) (string, error) {
	return with(a.assist, func(svc *assist.Service) (string, error) { return svc.Suggest(req) })
}

// AssistRegenerate starts a round in which one model continues a fragment
// from a new prefix (token mode); its batches arrive as assist:batch events.
func (a *API) AssistRegenerate(req assist.ContinueRequest) (string, error) {
	return with(a.assist, func(svc *assist.Service) (string, error) { return svc.Regenerate(req) })
}

// AssistPreview is exactly what each active model would receive for req.
func (a *API) AssistPreview(req assist.SuggestRequest) ([]assist.PromptPreview, error) {
	return with(a.assist, func(svc *assist.Service) ([]assist.PromptPreview, error) { return svc.Preview(req) })
}

// AssistCancel cancels a round, upstream too.
func (a *API) AssistCancel(round string) {
	_ = do(a.assist, func(svc *assist.Service) error { svc.Cancel(round); return nil })
}

// AssistCancelAll cancels every running round of the page client (the
// Client of its requests); other pages' rounds run on.
func (a *API) AssistCancelAll(client string) {
	_ = do(a.assist, func(svc *assist.Service) error { svc.CancelClient(client); return nil })
}

// --- documents ---

// StartDocument is the document to show at start: the last one opened.
func (a *API) StartDocument() (documents.Document, error) {
	return with(a.docs, (*documents.Session).Start)
}

// DocumentChanged accepts a change (every change, drafts included) and
// schedules its save; it returns the change's revision, which the page's
// next change is based on. A change based on an older revision is refused
// (code stale_revision).
func (a *API) DocumentChanged(doc documents.Document) (int64, error) {
	return with(a.docs, func(s *documents.Session) (int64, error) { return s.Changed(doc) })
}

// DocumentPatched is DocumentChanged for a change handed over as a patch
// of the revision the page last got (documents.Patch): the page sends what
// changed, not the whole document, on every edit. Codes: stale_revision as
// DocumentChanged; unknown_base when this server holds no copy of that
// revision (the page then sends the whole document); bad_patch when the
// patch does not fit. Nothing is changed on an error.
func (a *API) DocumentPatched(p documents.Patch) (int64, error) {
	return with(a.docs, func(s *documents.Session) (int64, error) { return s.ChangedPatch(p) })
}

// SaveDocument saves now (Ctrl+S); the Meta has the revision written.
func (a *API) SaveDocument(doc documents.Document) (documents.Meta, error) {
	return with(a.docs, func(s *documents.Session) (documents.Meta, error) { return s.Save(doc) })
}

// SaveDocumentAsCopy adds the page's version of a document to the library
// as a new document and opens it (after a stale save: nothing typed is
// lost).
func (a *API) SaveDocumentAsCopy(doc documents.Document) (documents.Document, error) {
	return with(a.docs, func(s *documents.Session) (documents.Document, error) { return s.Add(doc) })
}

// OpenDocument saves what is pending, then opens another document.
func (a *API) OpenDocument(id string) (documents.Document, error) {
	return with(a.docs, func(s *documents.Session) (documents.Document, error) { return s.Open(id) })
}

// NewDocument saves what is pending and starts a new, empty document.
func (a *API) NewDocument() (documents.Document, error) {
	return with(a.docs, (*documents.Session).New)
}

// ListDocuments lists the library, newest first, with per-file problems.
func (a *API) ListDocuments() (documents.Listing, error) {
	return with(a.docs, (*documents.Session).List)
}

// ListTrash lists deleted documents.
func (a *API) ListTrash() (documents.Listing, error) {
	return with(a.docs, (*documents.Session).ListTrash)
}

// RenameDocument renames a document that is not open.
func (a *API) RenameDocument(id, name string) (documents.Meta, error) {
	return with(a.docs, func(s *documents.Session) (documents.Meta, error) { return s.Rename(id, name) })
}

// DuplicateDocument copies a document under a new id.
func (a *API) DuplicateDocument(id string) (documents.Document, error) {
	return with(a.docs, func(s *documents.Session) (documents.Document, error) { return s.Duplicate(id) })
}

// DeleteDocument moves a document to the trash.
func (a *API) DeleteDocument(id string) error {
	return do(a.docs, func(s *documents.Session) error { return s.Delete(id) })
}

// RestoreDocument brings a document back from the trash.
func (a *API) RestoreDocument(id string) (documents.Meta, error) {
	return with(a.docs, func(s *documents.Session) (documents.Meta, error) { return s.Restore(id) })
}

// DocumentHistory lists a document's earlier versions.
func (a *API) DocumentHistory(id string) ([]documents.Snapshot, error) {
	return with(a.docs, func(s *documents.Session) ([]documents.Snapshot, error) { return s.History(id) })
}

// RestoreVersion makes an earlier version current (the current one is kept
// in the history).
func (a *API) RestoreVersion(id, snapshotID string) (documents.Document, error) {
	return with(a.docs, func(s *documents.Session) (documents.Document, error) { return s.RestoreVersion(id, snapshotID) })
}

// ExportDocumentData is the document as a file to download: format is
// "txt", "md" (the joined text, exactly) or "json" (the document file).
func (a *API) ExportDocumentData(doc documents.Document, format string) (documents.ExportedFile, error) {
	return documents.ExportData(doc, format)
}

// ImportDocumentData adds an uploaded .txt, .md or .json file (its name
// and content) to the library as a new document, which it opens.
func (a *API) ImportDocumentData(name, content string) (documents.Document, error) {
	return with(a.docs, func(s *documents.Session) (documents.Document, error) {
		doc, err := documents.ImportData(name, []byte(content))
		if err != nil {
			return documents.Document{}, err
		}
		return s.Add(doc)
	})
}

// SaveProxyConfig validates, writes and applies an edited config; a proxy
// that could not start (say its port was taken) is started with it. (The
// desktop door serves it; see Methods.)
func (a *API) SaveProxyConfig(text string) error {
	return do(a.proxy, func(p *llproxy.Service) error { return p.SaveConfigTextAndStart(a.startCtx(), text) })
}

// ProxyConfigText is the config file's text, for editing (desktop door).
func (a *API) ProxyConfigText() (string, error) {
	return with(a.proxy, (*llproxy.Service).ConfigText)
}

// ValidateProxyConfig lists the problems of an edited config as you type
// (desktop door).
func (a *API) ValidateProxyConfig(text string) []config.Problem {
	if a.proxy == nil {
		return []config.Problem{{Message: ErrUnavailable.Error()}}
	}
	return a.proxy.ValidateConfigText(text)
}
