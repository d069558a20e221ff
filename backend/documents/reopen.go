package documents

// Reopen returns the document the app should show at start: the last one
// opened, else the newest in the library, else a new empty one. The one
// returned is remembered as the last opened. Documents that fail to load
// are skipped (they stay listed with their problem).
func (l *Library) Reopen() (Document, error) {
	if id, err := l.LastOpened(); err == nil && id != "" {
		if doc, err := l.Load(id); err == nil {
			return doc, nil
		}
	}
	if listing, err := l.List(); err == nil {
		for _, m := range listing.Documents {
			if doc, err := l.Load(m.ID); err == nil {
				return doc, l.SetLastOpened(doc.ID)
			}
		}
	}
	doc, err := l.Create("")
	if err != nil {
		return Document{}, err
	}
	return doc, l.SetLastOpened(doc.ID)
}

// OpenDocument loads a document and remembers it as the last opened.
func (l *Library) OpenDocument(id string) (Document, error) {
	doc, err := l.Load(id)
	if err != nil {
		return Document{}, err
	}
	return doc, l.SetLastOpened(id)
}
