package discovery

import (
	"slices"
	"strings"
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
