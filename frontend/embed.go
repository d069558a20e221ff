// Package frontend embeds the editor page's production build (dist/, made
// by `npm run build`; `make llproxy` builds it first) for the headless
// llproxy, which serves it on its port. A fresh clone's dist/ holds only
// .gitkeep: Build then reports that the binary has no editor.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Build is the page's build (index.html at its root) and whether this
// binary has one.
func Build() (fs.FS, bool) {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		return nil, false
	}
	if _, err := fs.Stat(sub, "index.html"); err != nil {
		return sub, false
	}
	return sub, true
}
