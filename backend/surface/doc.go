// Package surface is the page's one surface: every Go method the editor
// page calls, implemented once, listed once, and served by two doors.
//
//   - API implements every method both doors serve: documents, suggestions,
//     model settings, the proxy's status and logs, and the data-based
//     export and import a browser needs (download, upload).
//   - Methods is the table of every method the page calls, with Door saying
//     which doors serve it. The desktop window (Wails) binds the App in
//     package main, which embeds *API and adds the desktop-only methods
//     (Quit, native file dialogs, the app's own settings, the proxy
//     config editor). The HTTP door (backend/webapi) serves exactly the
//     rows marked Both, by name, on API. Tests in both doors fail when a
//     method is added to one door only.
//   - Events are emitted once, to every subscriber (Subscribe): the Wails
//     door forwards them with runtime.EventsEmit, the HTTP door as
//     Server-Sent Events. Each event is a name and a list of arguments,
//     exactly what the page's listener receives.
//   - Errors carry a machine-readable code (Code), the same in both doors:
//     "stale_revision", "not_found", …
//
// API owns the services' life cycle (New, Start, Close): the LLProxy
// service, suggestions through it (assist), and the documents Session. A
// service that fails to start is reported in StartupProblems; its methods
// then fail with ErrUnavailable and the others still work. Nothing here
// imports Wails.
package surface
