package main

import (
	"errors"
	"io/fs"
	"net"
	"sync"

	"fragmenteditor/backend/webapi"
)

// editorSite serves the editor page to other devices on the proxy's port
// while the "Serve the editor to other devices" setting is on.
type editorSite struct {
	mu     sync.Mutex // guards detach and key
	detach func()     // nil while not served
	key    string
}

// pageFiles is the page's build inside the binary.
func pageFiles() (fs.FS, error) { return fs.Sub(assets, "frontend/dist") }

// serveEditor turns serving the editor on or off.
func (a *App) serveEditor(on bool) error {
	e := &a.editor
	e.mu.Lock()
	defer e.mu.Unlock()
	if !on || e.detach != nil {
		if !on && e.detach != nil {
			e.detach()
			e.detach = nil
			a.log.Info("no longer serving the editor to other devices")
		}
		return nil
	}
	proxy := a.api.Proxy()
	if proxy == nil {
		return errors.New("the proxy is not available: see the start-up problems")
	}
	key, err := webapi.EditorKey(a.dirs.Data)
	if err != nil {
		return err
	}
	page, err := pageFiles()
	if err != nil {
		return err
	}
	web := webapi.New(webapi.Options{API: a.api, Sessions: proxy.Sessions(), EditorKey: key, Assets: page, Logger: a.log})
	e.detach, e.key = webapi.Attach(a.api, web), key
	a.log.Info("serving the editor to other devices", "url", proxy.BaseURL())
	return nil
}

// EditorServing says whether the editor is served to other devices, and
// how they reach it (URLs, a QR code of the first, the key).
func (a *App) EditorServing() (webapi.Invitation, error) {
	e := &a.editor
	e.mu.Lock()
	on, key := e.detach != nil, e.key
	e.mu.Unlock()
	proxy := a.api.Proxy()
	if !on || proxy == nil || proxy.Config() == nil {
		return webapi.Invitation{URLs: []string{}}, nil
	}
	addrs, _ := net.InterfaceAddrs() // none: no URL for other devices, and the note says so
	return webapi.Invite(proxy.Config(), key, addrs), nil
}
