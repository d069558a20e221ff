package config

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with a configuration.
type Problem struct {
	// Path locates the value inside the config, as in
	// "endpoints[1].port_end". Empty means the document as a whole (for
	// example a JSON syntax error, whose Message then starts with
	// "line L, column C:").
	Path string `json:"path"`
	// Message says what is wrong, e.g. "70000 is not a port". It never
	// contains a secret (api keys, URL credentials).
	Message string `json:"message"`
}

// Error formats the problem as "path: message".
func (p Problem) Error() string {
	if p.Path == "" {
		return p.Message
	}
	return p.Path + ": " + p.Message
}

// ValidationError is every problem found in one configuration. Parse,
// Load and Validate return it (as error) for any bad input; use errors.As
// to get at the list, e.g. to show it in a UI.
type ValidationError struct {
	// File is the config file's path when the config came from Load or
	// Watch; every line of Error then starts with it. Empty otherwise.
	File string
	// Problems is never empty, in document order, and holds at most
	// MaxProblems entries.
	Problems []Problem
	// More counts the problems found beyond MaxProblems, not listed.
	More int
}

// MaxProblems bounds ValidationError.Problems: a config that is wrong
// everywhere (say a generated one) gives a readable report.
const MaxProblems = 50

// Error lists the problems, one per line.
func (e *ValidationError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		if e.File != "" {
			b.WriteString(e.File)
			b.WriteString(": ")
		}
		b.WriteString(p.Error())
	}
	if e.More > 0 {
		b.WriteByte('\n')
		if e.File != "" {
			b.WriteString(e.File)
			b.WriteString(": ")
		}
		fmt.Fprintf(&b, "… and %d more problems", e.More)
	}
	return b.String()
}

// Unwrap returns the problems as errors, the way errors.Join does.
func (e *ValidationError) Unwrap() []error {
	errs := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		errs[i] = p
	}
	return errs
}

// problems collects Problems while a config is decoded and checked.
type problems struct {
	list []Problem
	more int // problems beyond MaxProblems
}

func (ps *problems) add(path, format string, args ...any) {
	ps.put(Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

func (ps *problems) put(p Problem) {
	if len(ps.list) >= MaxProblems {
		ps.more++
		return
	}
	ps.list = append(ps.list, p)
}

// err is nil when nothing was added.
func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	return &ValidationError{Problems: ps.list, More: ps.more}
}

// index is the path of element i of the list at path.
func index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

// field is the path of member name of the object at path.
func field(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// related reports whether one path equals or contains the other, so that a
// value that failed to decode does not also draw follow-on complaints.
func related(a, b string) bool {
	return a == b || within(a, b) || within(b, a)
}

func within(inner, outer string) bool {
	return strings.HasPrefix(inner, outer) && len(inner) > len(outer) &&
		(inner[len(outer)] == '.' || inner[len(outer)] == '[')
}
