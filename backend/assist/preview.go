package assist

import "strings"

// PromptPreview is exactly what one model would receive for a request,
// for the prompt preview (P).
type PromptPreview struct {
	Model string `json:"model"`
	// Endpoint is "/v1/chat/completions" or "/v1/completions".
	Endpoint string `json:"endpoint"`
	// System and User are the chat messages (chat); Text the raw prompt
	// (completions).
	System string `json:"system,omitempty"`
	User   string `json:"user,omitempty"`
	Text   string `json:"text,omitempty"`
	// Stop are the stop sequences sent.
	Stop []string `json:"stop,omitempty"`
	// TrimmedBytes and TrimmedFragments say how much story was left out
	// at the front to fit the context; Trimmed is the end of that text
	// (at most PreviewTrimmedBytes), shown struck through before the
	// prompt. For a request that carries only the end of the document
	// (First > 0), TrimmedBytes counts the carried text only (the page
	// sends the whole document for a preview).
	TrimmedBytes     int    `json:"trimmed_bytes"`
	TrimmedFragments int    `json:"trimmed_fragments"`
	Trimmed          string `json:"trimmed,omitempty"`
	// Error is why no request would be sent (the notes do not fit).
	Error string `json:"error,omitempty"`
}

// PreviewTrimmedBytes bounds PromptPreview.Trimmed.
const PreviewTrimmedBytes = 2000

// Preview builds, without sending anything, the prompts a Suggest with
// req would send to each active model. Errors: ErrBadRequest,
// ErrNoModels, ErrNoActiveModels.
func (s *Service) Preview(req SuggestRequest) ([]PromptPreview, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	models := s.opts.Models()
	if len(models) == 0 {
		return nil, ErrNoModels
	}
	var out []PromptPreview
	for _, m := range s.ModelsView(models) {
		if m.Active {
			out = append(out, previewOf(req, m))
		}
	}
	if len(out) == 0 {
		return nil, ErrNoActiveModels
	}
	return out, nil
}

func previewOf(req SuggestRequest, m ModelInfo) PromptPreview {
	pv := PromptPreview{Model: m.Name}
	p, err := BuildPrompt(req, m.Settings, m.ContextTokens)
	if err != nil {
		pv.Error = err.Error()
		return pv
	}
	if p.Chat {
		pv.Endpoint, pv.System, pv.User = "/v1/chat/completions", p.System, p.User
	} else {
		pv.Endpoint, pv.Text = "/v1/completions", p.Text
	}
	pv.Stop = p.Stop
	pv.TrimmedBytes, pv.TrimmedFragments = p.TrimmedBytes, p.TrimmedFragments
	if p.TrimmedBytes > 0 && req.Kind == KindContinue {
		local := req.local()
		upto := local.Fragments[:min(local.Selection+1, len(local.Fragments))]
		cut := strings.Join(upto, "")[:p.TrimmedBytes]
		pv.Trimmed = tailBytes(cut, PreviewTrimmedBytes)
		if len(pv.Trimmed) < len(cut) {
			pv.Trimmed = "…" + pv.Trimmed
		}
	}
	return pv
}
