package discovery

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// modelFileExts are the extensions CleanName drops (one, case-insensitive).
var modelFileExts = []string{".gguf", ".ggml", ".bin", ".safetensors", ".pt", ".pth", ".onnx", ".llamafile"}

// CleanName turns a backend's model id into a model name: it drops
// everything up to the last "/" or "\" and then one trailing model-file
// extension (see the package doc); dots that belong to the name stay. Trailing
// separators are ignored ("org/model/" gives "model"). It never returns ""
// for a non-empty id: when nothing would be left, it returns id unchanged.
func CleanName(id string) string {
	name := strings.TrimRight(id, `/\`)
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	if ext := modelFileExt(name); ext != "" && len(ext) < len(name) {
		name = name[:len(name)-len(ext)]
	}
	if name == "" {
		return id
	}
	return name
}

// modelFileExt returns the model-file extension name ends with, as written
// in name, or "".
func modelFileExt(name string) string {
	for _, ext := range modelFileExts {
		if len(name) >= len(ext) && strings.EqualFold(name[len(name)-len(ext):], ext) {
			return name[len(name)-len(ext):]
		}
	}
	return ""
}

// finalNames expands a model name with an endpoint's tags: "name:tag" for
// each distinct non-empty tag, or just name when there is none.
func finalNames(name string, tags []string) []string {
	out := make([]string, 0, max(len(tags), 1))
	for _, tag := range tags {
		if tag == "" {
			continue
		}
		if final := name + ":" + tag; !slices.Contains(out, final) {
			out = append(out, final)
		}
	}
	if len(out) == 0 {
		out = append(out, name)
	}
	return out
}

// keepName reports whether a final name passes an endpoint's filter: an
// empty filter keeps everything, otherwise the name must contain one of the
// substrings.
func keepName(final string, filter []string) bool {
	if len(filter) == 0 {
		return true
	}
	for _, sub := range filter {
		if strings.Contains(final, sub) {
			return true
		}
	}
	return false
}

// checkID says why a backend's model id cannot become a model name, or
// returns nil: longer than maxBytes, not UTF-8, holding control or
// invisible formatting characters (such as U+202E, which reverses how the
// rest of a name is shown), or naming no model once cleaned ("/", "..",
// "a/."). Such an id is skipped and reported. Pure.
func checkID(id string, maxBytes int) error {
	switch {
	case len(id) > maxBytes:
		return fmt.Errorf("id of %d bytes is longer than max_model_id_bytes (%d)", len(id), maxBytes)
	case !utf8.ValidString(id):
		return fmt.Errorf("id %s is not valid UTF-8", shortQuote(id))
	case strings.IndexFunc(id, unsafeRune) >= 0:
		return fmt.Errorf("id %s holds control or invisible formatting characters", shortQuote(id))
	}
	switch name := CleanName(id); {
	case name == "." || name == ".." || strings.ContainsAny(name, `/\`) || strings.TrimSpace(name) == "":
		return fmt.Errorf("id %s names no model", shortQuote(id))
	}
	return nil
}

// unsafeRune: control characters (Cc) and format characters (Cf: bidi
// controls, zero-width characters, the BOM).
func unsafeRune(r rune) bool { return unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r) }

// shortQuote quotes s for a report, cut to its first 40 bytes.
func shortQuote(s string) string {
	if len(s) > 40 {
		return strconv.QuoteToASCII(s[:40]) + "…"
	}
	return strconv.QuoteToASCII(s)
}
