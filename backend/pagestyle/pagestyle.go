// Package pagestyle holds the stylesheet of the server-rendered pages on
// LLProxy's port (the login form, /status): the app's colours, type and
// light/dark themes, without any JavaScript. Pages inline it in a <style>
// element so that they need no second request.
package pagestyle

import (
	_ "embed"
	"html/template"
)

//go:embed style.css
var css string

// CSS is the stylesheet, safe to put inside <style>.
var CSS = template.CSS(css)
