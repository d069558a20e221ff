package webapi

import (
	"io/fs"
	"net/http"
	"strings"
)

// noEditorPage is what "/" says when the binary was built without the page.
const noEditorPage = `This llproxy was built without the editor page (frontend/dist was empty).
Build it with "make llproxy", which builds the page first. The API (/v1) and /status work.
`

// staticFiles serves the page's build: "/" is index.html; files under
// /assets/ carry a content hash in their names and are cached for good;
// everything else is revalidated. Folders are not listed.
func staticFiles(build fs.FS) http.Handler {
	files := http.FileServerFS(build)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") && r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		if strings.HasPrefix(r.URL.Path, "/assets/") {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		files.ServeHTTP(w, r)
	})
}

func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if s.assets == nil {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(noEditorPage))
		return
	}
	s.assets.ServeHTTP(w, r)
}
