package documents

import (
	"errors"
	"fmt"
)

// ErrBadPatch: a patch that does not fit the document it names (a splice
// out of range, no base revision). Nothing is changed.
var ErrBadPatch = errors.New("the change does not fit the document")

// ErrUnknownBase: the session holds no copy of the revision a patch is
// based on (the copy was dropped, or the server restarted). Nothing is
// changed; send the whole document (Session.Changed) instead.
var ErrUnknownBase = errors.New("this server holds no copy of the revision the change is based on: send the whole document")

// Patch is a change to a document as a writer hands it over on every edit
// without sending the whole document: a splice of the fragments
// (Fragments[At:At+Remove] becomes Insert) and the parts besides the
// fragments, which it always carries (they are small). It applies to the
// copy of revision Base the Session holds: the revision Session.Changed
// (or ChangedPatch, or the opening of the document) last gave this writer.
type Patch struct {
	ID string `json:"id"`
	// Base is the revision the change is based on; 0 is not allowed.
	Base int64 `json:"base"`
	// At, Remove, Insert: the splice of the fragments.
	At     int        `json:"at"`
	Remove int        `json:"remove"`
	Insert []Fragment `json:"insert"`
	// Name, Selection, Draft and Notes replace the document's.
	Name      string `json:"name"`
	Selection int    `json:"selection"`
	Draft     *Draft `json:"draft"`
	Notes     *Notes `json:"notes,omitempty"`
}

// apply returns base with p applied, sharing base's unchanged fragments
// (held documents are never changed in place). It checks the splice; the
// revision is the caller's.
func (p Patch) apply(base Document) (Document, error) {
	n := len(base.Fragments)
	switch {
	case p.At < 0 || p.At > n:
		return Document{}, fmt.Errorf("%w: document %s: splice at fragment %d, outside 0..%d", ErrBadPatch, p.ID, p.At, n)
	case p.Remove < 0 || p.Remove > n-p.At:
		return Document{}, fmt.Errorf("%w: document %s: removing %d fragments at %d of %d", ErrBadPatch, p.ID, p.Remove, p.At, n)
	}
	doc := base
	doc.Fragments = make([]Fragment, 0, n-p.Remove+len(p.Insert))
	doc.Fragments = append(doc.Fragments, base.Fragments[:p.At]...)
	for _, f := range p.Insert {
		if f.Alternatives != nil {
			f.Alternatives = append([]string(nil), f.Alternatives...)
		}
		f.Tokens = f.Tokens.Clone()
		doc.Fragments = append(doc.Fragments, f)
	}
	doc.Fragments = append(doc.Fragments, base.Fragments[p.At+p.Remove:]...)
	doc.Name, doc.Selection = p.Name, p.Selection
	doc.Draft, doc.Notes = nil, nil
	if p.Draft != nil {
		d := *p.Draft
		doc.Draft = &d
	}
	if p.Notes != nil {
		n := *p.Notes
		doc.Notes = &n
	}
	return doc, nil
}
