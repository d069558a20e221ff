package assist

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"fragmenteditor/backend/registry"
)

func TestSuggest_CutsAtSentenceAndCancelsUpstream(t *testing.T) {
	fx := newFixture(t, func(fakeRequest) fakeReply {
		return fakeReply{Chunks: []string{"The", " cat", " sat", ".", " Then", " it", " slept."}, Hang: true}
	}, oneSuggestion, "m")
	id := fx.suggest(t, SuggestRequest{Kind: KindContinue, Fragments: []string{"Once upon a time.", " More."}, Selection: 0})

	req := recv(t, fx.fake.requests, "the request")
	if req.Path != "/v1/chat/completions" || req.model() != "m" || req.Body["stream"] != true || req.Body["max_tokens"] != float64(DefaultMaxTokens) {
		t.Errorf("request %s %v", req.Path, req.Body)
	}
	msgs, _ := req.Body["messages"].([]any)
	if len(msgs) != 2 || !strings.Contains(toJSON(msgs[1]), "Once upon a time.") || strings.Contains(toJSON(msgs[1]), "More.") {
		t.Errorf("messages = %s", toJSON(msgs))
	}
	if got := recv(t, fx.fake.gone, "the upstream cancel"); got != "m" {
		t.Errorf("cancelled %q", got)
	}
	batches := fx.events.until(t, id)
	u := final(batches)[0]
	if u.Text != " The cat sat." || !u.Done || u.Error != "" || u.Number != 1 {
		t.Errorf("suggestion = %+v", u)
	}
	if b := batches[len(batches)-1]; b.Cancelled || lastStatus(batches)["m"].State != StateIdle {
		t.Errorf("last batch = %+v", b)
	}
}

func TestSuggest_TextModeKeepsItsOwnSpace(t *testing.T) {
	fx := newFixture(t, func(fakeRequest) fakeReply {
		return fakeReply{Chunks: []string{" and", " then", " it", " rained"}}
	}, func(_ int, s *ModelSettings) { s.Suggestions, s.Mode, s.Template = 1, ModeText, TemplateRaw }, "base")
	id := fx.suggest(t, SuggestRequest{Kind: KindContinue, Fragments: []string{"It was late", " and cold"}, Selection: 2})
	req := recv(t, fx.fake.requests, "the request")
	if req.Path != "/v1/completions" || req.Body["prompt"] != "It was late and cold" {
		t.Errorf("request %s %v", req.Path, req.Body)
	}
	batches := fx.events.until(t, id)
	if u := final(batches)[0]; u.Text != " and then it rained" || !u.Done {
		t.Errorf("suggestion = %+v", u)
	}
}

func TestSuggest_ReasoningNeverBecomesText(t *testing.T) {
	fx := newFixture(t, func(fakeRequest) fakeReply {
		return fakeReply{
			Reasoning: []string{"The user wants", " a sentence."},
			Chunks:    []string{"<think>", "Let me think. Really.", "</think>", "\n\n", "Rain", " fell."},
		}
	}, oneSuggestion, "r1")
	id := fx.suggest(t, SuggestRequest{Kind: KindContinue, Fragments: []string{"It was late."}, Selection: 1})
	batches := fx.events.until(t, id)
	for _, b := range batches {
		for _, u := range b.Updates {
			if strings.Contains(u.Text, "think") || strings.Contains(u.Text, "user wants") || strings.Contains(u.Text, "Really") {
				t.Errorf("reasoning leaked in batch %d: %q", b.Seq, u.Text)
			}
		}
	}
	if u := final(batches)[0]; u.Text != " Rain fell." {
		t.Errorf("suggestion = %q", u.Text)
	}
}

func TestSuggest_NewRoundCancelsPrevious(t *testing.T) {
	fx := newFixture(t, func(fakeRequest) fakeReply {
		return fakeReply{Chunks: []string{"Slow"}, Hang: true}
	}, oneSuggestion, "m")
	first := fx.suggest(t, SuggestRequest{Kind: KindContinue, Fragments: []string{"A."}, Selection: 0})
	recv(t, fx.fake.requests, "the first request")
	fx.events.waitFor(t, first, func(b Batch) bool { return len(b.Updates) > 0 && b.Updates[0].Text == " Slow" })
	second := fx.suggest(t, SuggestRequest{Kind: KindContinue, Fragments: []string{"A."}, Selection: 0})
	if first == second {
		t.Fatal("round ids repeat")
	}
	if got := recv(t, fx.fake.gone, "the first round's cancel"); got != "m" {
		t.Errorf("gone %q", got)
	}
	b := fx.events.until(t, first)
	last := b[len(b)-1]
	if !last.Finished || !last.Cancelled || last.Status[0].State != StateIdle {
		t.Errorf("first round's last batch = %+v", last)
	}
	if u := final(b)[0]; u.Text != " Slow" || !u.Done || u.Error != "" {
		t.Errorf("cancelled suggestion = %+v", u)
	}
	// The second round runs until cancelled too.
	recv(t, fx.fake.requests, "the second request")
	fx.svc.CancelAll()
	recv(t, fx.fake.gone, "the second round's cancel")
	if b := fx.events.until(t, second); !b[len(b)-1].Cancelled {
		t.Error("second round not marked cancelled")
	}
}

func TestCancel(t *testing.T) {
	tests := []struct {
		name   string
		cancel func(s *Service, id string)
	}{
		{"Cancel", func(s *Service, id string) { s.Cancel(id) }},
		{"CancelAll", func(s *Service, _ string) { s.CancelAll() }},
		{"Close", func(s *Service, _ string) { s.Close() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t, func(fakeRequest) fakeReply { return fakeReply{Hang: true} },
				func(_ int, s *ModelSettings) { s.Suggestions = 2 }, "m")
			id := fx.suggest(t, SuggestRequest{Kind: KindContinue, Fragments: []string{"A."}, Selection: 0})
			recv(t, fx.fake.requests, "request 1")
			recv(t, fx.fake.requests, "request 2")
			fx.svc.Cancel("r-unknown") // ignored
			tt.cancel(fx.svc, id)
			recv(t, fx.fake.gone, "cancel 1")
			recv(t, fx.fake.gone, "cancel 2")
			b := fx.events.until(t, id)
			if last := b[len(b)-1]; !last.Cancelled || len(final(b)) != 2 {
				t.Errorf("last batch = %+v", last)
			}
		})
	}
}

// Pages writing through one server at once (browser tabs, the desktop
// window) each cancel only their own running round.
func TestSuggest_PagesDoNotCancelEachOther(t *testing.T) {
	fx := newFixture(t, func(fakeRequest) fakeReply { return fakeReply{Hang: true} }, oneSuggestion, "m")
	doc := []string{"A."}
	a := fx.suggest(t, SuggestRequest{Kind: KindContinue, Fragments: doc, Client: "tab-a"})
	recv(t, fx.fake.requests, "tab a's request")
	b := fx.suggest(t, SuggestRequest{Kind: KindContinue, Fragments: doc, Client: "tab-b"})
	recv(t, fx.fake.requests, "tab b's request")

	fx.svc.CancelClient("tab-b")
	recv(t, fx.fake.gone, "tab b's cancel")
	if got := fx.events.until(t, b); !got[len(got)-1].Cancelled {
		t.Error("tab b's round not marked cancelled")
	}
	// Tab a's round ran on through b's start and b's cancel (its batches
	// so far are all read: b's last batch came after them).
	for _, x := range fx.events.seen[a] {
		if x.Finished {
			t.Fatalf("tab a's round ended when tab b's started or was cancelled: %+v", x)
		}
	}
	fx.svc.CancelClient("tab-a")
	recv(t, fx.fake.gone, "tab a's cancel")
	if got := fx.events.until(t, a); !got[len(got)-1].Cancelled {
		t.Error("tab a's round not marked cancelled")
	}

	// A page's next round still cancels its own running one.
	first := fx.suggest(t, SuggestRequest{Kind: KindContinue, Fragments: doc, Client: "tab-a"})
	recv(t, fx.fake.requests, "tab a's second request")
	fx.suggest(t, SuggestRequest{Kind: KindContinue, Fragments: doc, Client: "tab-a"})
	recv(t, fx.fake.gone, "tab a's second round, cancelled by its third")
	if got := fx.events.until(t, first); !got[len(got)-1].Cancelled {
		t.Error("tab a's second round not marked cancelled")
	}
}

// Many pages at once: the oldest round gives way beyond maxLiveRounds.
func TestSuggest_LiveRoundsBounded(t *testing.T) {
	fx := newFixture(t, func(fakeRequest) fakeReply { return fakeReply{Hang: true} }, oneSuggestion, "m")
	ids := make([]string, maxLiveRounds+1)
	for i := range ids {
		ids[i] = fx.suggest(t, SuggestRequest{Kind: KindContinue, Fragments: []string{"A."}, Client: fmt.Sprintf("tab-%d", i)})
		recv(t, fx.fake.requests, fmt.Sprintf("request %d", i))
	}
	recv(t, fx.fake.gone, "the oldest round's cancel")
	if got := fx.events.until(t, ids[0]); !got[len(got)-1].Cancelled {
		t.Error("the oldest round not marked cancelled")
	}
	fx.svc.CancelAll()
	for i := 1; i < len(ids); i++ {
		recv(t, fx.fake.gone, fmt.Sprintf("round %d's cancel", i))
	}
}

func TestSuggest_AfterCloseFails(t *testing.T) {
	fx := newFixture(t, func(fakeRequest) fakeReply { return fakeReply{} }, nil, "m")
	fx.svc.Close()
	if _, err := fx.svc.Suggest(SuggestRequest{Kind: KindContinue}); !errors.Is(err, ErrClosed) {
		t.Errorf("err = %v, want ErrClosed", err)
	}
}

func TestSuggest_BackendErrorIsShown(t *testing.T) {
	tests := []struct {
		name  string
		reply fakeReply
		want  string
	}{
		{"OpenAI-shaped body", fakeReply{Status: 503, Body: `{"error":{"message":"Loading model","type":"unavailable_error","code":503}}`}, "Loading model"},
		{"error string", fakeReply{Status: 404, Body: `{"error":"model 'x' not found"}`}, "model 'x' not found"},
		{"FastAPI detail", fakeReply{Status: 422, Body: `{"detail":"prompt too long"}`}, "prompt too long"},
		{"plain text", fakeReply{Status: 502, Body: "upstream unreachable\n"}, "upstream unreachable"},
		{"empty body", fakeReply{Status: 500}, "500 Internal Server Error"},
		{"error event mid-stream", fakeReply{Chunks: []string{"Hal"}, StreamError: "context size exceeded"}, "context size exceeded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t, func(fakeRequest) fakeReply { return tt.reply }, oneSuggestion, "m")
			id := fx.suggest(t, SuggestRequest{Kind: KindContinue, Fragments: []string{"A."}, Selection: 0})
			b := fx.events.until(t, id)
			st := lastStatus(b)["m"]
			if st.State != StateError || st.Message != tt.want {
				t.Errorf("status = %+v, want error %q", st, tt.want)
			}
			if u := final(b)[0]; u.Error != tt.want || !u.Done {
				t.Errorf("update = %+v", u)
			}
			if b[len(b)-1].Cancelled {
				t.Error("a failed round is not a cancelled one")
			}
		})
	}
}

func TestSuggest_NumbersTenSlotsInModelOrder(t *testing.T) {
	fx := newFixture(t, func(r fakeRequest) fakeReply {
		return fakeReply{Chunks: []string{"From " + r.model() + "."}}
	}, func(i int, s *ModelSettings) { s.Suggestions = []int{4, 1, 10}[i] }, "b", "a", "c")
	id := fx.suggest(t, SuggestRequest{Kind: KindContinue, Fragments: []string{"A."}, Selection: 1})
	b := fx.events.until(t, id)
	type slot struct {
		Model  string
		Index  int
		Number int
	}
	var got []slot
	for _, u := range b[0].Updates {
		got = append(got, slot{u.Model, u.Index, u.Number})
		if u.Text != "" || u.Done {
			t.Errorf("batch 0 update %+v is not empty", u)
		}
	}
	want := []slot{{"b", 0, 1}, {"b", 1, 2}, {"b", 2, 3}, {"b", 3, 4}, {"a", 0, 5},
		{"c", 0, 6}, {"c", 1, 7}, {"c", 2, 8}, {"c", 3, 9}, {"c", 4, 0}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("slots = %v\nwant    %v", got, want)
	}
	if b[0].Seq != 0 || len(b[0].Status) != 3 || b[0].Status[0].State != StateWaiting {
		t.Errorf("batch 0 = %+v", b[0])
	}
	for slotIdx, u := range final(b) {
		if u.Text != " From "+u.Model+"." || !u.Done {
			t.Errorf("slot %d = %+v", slotIdx, u)
		}
	}
	if n := len(fx.fake.requests); n != 10 {
		t.Errorf("backend saw %d requests, want 10", n)
	}
}

func TestSuggest_Rewrite(t *testing.T) {
	fx := newFixture(t, func(fakeRequest) fakeReply {
		return fakeReply{Chunks: []string{"The dog", " sat.", " It barked.", " Extra words."}, Hang: true}
	}, oneSuggestion, "m")
	doc := []string{"Hi. ", "The cat sat. It purred.\n", "End."}
	id := fx.suggest(t, SuggestRequest{Kind: KindRewrite, Fragments: doc, Target: 1, Instruction: "Use a dog"})
	req := recv(t, fx.fake.requests, "the request")
	if s := toJSON(req.Body["messages"]); !strings.Contains(s, "Use a dog") || !strings.Contains(s, "The cat sat. It purred.") {
		t.Errorf("messages = %s", s)
	}
	recv(t, fx.fake.gone, "the cut")
	b := fx.events.until(t, id)
	if u := final(b)[0]; u.Text != "The dog sat. It barked.\n" {
		t.Errorf("rewrite = %q", u.Text)
	}
	if b[0].Kind != KindRewrite || b[0].Target != 1 {
		t.Errorf("batch 0 = %+v", b[0])
	}
	if got := fx.svc.Settings().Instructions; !reflect.DeepEqual(got, []string{"Use a dog"}) {
		t.Errorf("instructions = %v", got)
	}
}

func TestSuggest_Errors(t *testing.T) {
	fx := newFixture(t, func(fakeRequest) fakeReply { return fakeReply{} }, nil, "m")
	if _, err := fx.svc.Suggest(SuggestRequest{Kind: "x"}); !errors.Is(err, ErrBadRequest) {
		t.Errorf("err = %v", err)
	}
	fx.list = nil
	if _, err := fx.svc.Suggest(SuggestRequest{Kind: KindContinue}); !errors.Is(err, ErrNoModels) {
		t.Errorf("err = %v", err)
	}
}

func TestBatching_CoalescesChunks(t *testing.T) {
	const n = 500
	chunks := make([]string, n)
	for i := range chunks {
		chunks[i] = " w"
	}
	fx := newFixture(t, func(fakeRequest) fakeReply { return fakeReply{Chunks: chunks} },
		func(_ int, s *ModelSettings) { s.Suggestions, s.StopAtSentence, s.MaxTokens = 3, false, 1000 }, "m")
	// A period far longer than the test: nothing but batch 0 and the last.
	fx.svc.opts.FlushInterval = time.Hour
	id := fx.suggest(t, SuggestRequest{Kind: KindContinue, Fragments: []string{"A"}, Selection: 0})
	b := fx.events.until(t, id)
	if len(b) != 2 || b[0].Seq != 0 || b[1].Seq != 1 {
		t.Fatalf("%d chunks x 3 gave %d batches, want 2", n, len(b))
	}
	want := strings.Repeat(" w", n)
	for slot, u := range final(b) {
		if u.Text != want || !u.Done {
			t.Errorf("slot %d text has %d bytes, want %d", slot, len(u.Text), len(want))
		}
	}
	if st := b[1].Status[0]; st.State != StateIdle || st.TPS <= 0 {
		t.Errorf("status = %+v", st)
	}
}

func TestBatching_SeqOrderedAndComplete(t *testing.T) {
	chunks := make([]string, 200)
	for i := range chunks {
		chunks[i] = " w"
	}
	fx := newFixture(t, func(fakeRequest) fakeReply { return fakeReply{Chunks: chunks} },
		func(_ int, s *ModelSettings) { s.Suggestions, s.StopAtSentence, s.MaxTokens = 5, false, 1000 }, "m", "n")
	id := fx.suggest(t, SuggestRequest{Kind: KindContinue, Fragments: []string{"A"}, Selection: 0})
	b := fx.events.until(t, id)
	lengths := map[int]int{}
	for i, batch := range b {
		if batch.Seq != i {
			t.Fatalf("batch %d has seq %d", i, batch.Seq)
		}
		for _, u := range batch.Updates {
			if len(u.Text) < lengths[u.Slot] {
				t.Errorf("slot %d went back from %d to %d bytes", u.Slot, lengths[u.Slot], len(u.Text))
			}
			lengths[u.Slot] = len(u.Text)
		}
	}
	if len(final(b)) != 10 {
		t.Errorf("%d slots", len(final(b)))
	}
	for slot, u := range final(b) {
		if len(u.Text) != 400 || !u.Done {
			t.Errorf("slot %d: %d bytes, done %v", slot, len(u.Text), u.Done)
		}
	}
}

func TestBatch_JSONShape(t *testing.T) {
	b := Batch{Round: "r1", Seq: 2, Kind: KindContinue, Target: 3,
		Updates: []Update{{Model: "m", Index: 1, Slot: 1, Number: 2, Text: " Hi.", Done: true}},
		Status:  []Status{{Model: "m", State: StateError, TPS: 1.5, Message: "boom"}}}
	want := `{"round":"r1","seq":2,"kind":"continue","target":3,` +
		`"updates":[{"model":"m","index":1,"slot":1,"number":2,"text":" Hi.","done":true}],` +
		`"status":[{"model":"m","state":"error","tps":1.5,"message":"boom"}],"finished":false,"cancelled":false}`
	if got := toJSON(b); got != want {
		t.Errorf("JSON\n%s\nwant\n%s", got, want)
	}
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestSuggest_TemplateRequestCarriesStops(t *testing.T) {
	fx := newFixture(t, func(fakeRequest) fakeReply { return fakeReply{Chunks: []string{"It", " rained."}} },
		func(_ int, s *ModelSettings) { s.Suggestions, s.Mode, s.Template = 1, ModeText, TemplateChatML }, "q")
	id := fx.suggest(t, SuggestRequest{Kind: KindContinue, Fragments: []string{"Dark."}, Selection: 0})
	req := recv(t, fx.fake.requests, "the request")
	prompt, _ := req.Body["prompt"].(string)
	if req.Path != "/v1/completions" || !strings.HasSuffix(prompt, "<|im_start|>assistant\n") ||
		!reflect.DeepEqual(req.Body["stop"], []any{"<|im_end|>", "<|im_start|>"}) {
		t.Errorf("request %s %s", req.Path, toJSON(req.Body))
	}
	if u := final(fx.events.until(t, id))[0]; u.Text != " It rained." {
		t.Errorf("suggestion %q (an instruction template answers like a chat)", u.Text)
	}
}

func TestNew_KeyAndNoAmbientEnvironment(t *testing.T) {
	t.Setenv("OPENAI_BASE_URL", "http://127.0.0.9:1/v1")
	t.Setenv("OPENAI_API_KEY", "sk-ambient")
	t.Setenv("OPENAI_CUSTOM_HEADERS", "X-Ambient: yes")
	tests := []struct {
		key, wantAuth string
	}{{"", ""}, {"proxy-key", "Bearer proxy-key"}}
	for _, tt := range tests {
		t.Run("key="+tt.key, func(t *testing.T) {
			fake := newFakeBackend(t, func(fakeRequest) fakeReply { return fakeReply{Chunks: []string{"Ok."}} })
			list := models("m")
			ev := newEvents()
			svc, err := New(Options{BaseURL: fake.baseURL(), APIKey: tt.key, SettingsDir: t.TempDir(),
				Models: func() []registry.Model { return list }, Emit: ev.emit, Logger: quiet})
			if err != nil {
				t.Fatal(err)
			}
			defer svc.Close()
			id, err := svc.Suggest(SuggestRequest{Kind: KindContinue, Fragments: []string{"A."}})
			if err != nil {
				t.Fatal(err)
			}
			for range DefaultSuggestions {
				req := recv(t, fake.requests, "a request")
				if got := req.Header.Get("Authorization"); got != tt.wantAuth || req.Header.Get("X-Ambient") != "" {
					t.Errorf("Authorization %q, X-Ambient %q", got, req.Header.Get("X-Ambient"))
				}
			}
			ev.until(t, id)
		})
	}
}

func TestNew_RequiresOptions(t *testing.T) {
	ok := Options{BaseURL: "http://127.0.0.1:3333/v1", SettingsDir: t.TempDir(),
		Models: func() []registry.Model { return nil }, Emit: func(string, any) {}}
	tests := []struct {
		name   string
		change func(*Options)
	}{
		{"base URL", func(o *Options) { o.BaseURL = "127.0.0.1:3333" }},
		{"models", func(o *Options) { o.Models = nil }},
		{"emit", func(o *Options) { o.Emit = nil }},
		{"settings dir", func(o *Options) { o.SettingsDir = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := ok
			tt.change(&o)
			if s, err := New(o); err == nil {
				s.Close()
				t.Error("New accepted bad options")
			}
		})
	}
}

func TestSuggest_EndpointAskedEveryRound(t *testing.T) {
	reply := func(fakeRequest) fakeReply { return fakeReply{Chunks: []string{"Ok."}} }
	one, two := newFakeBackend(t, reply), newFakeBackend(t, reply)
	current := ""
	list := models("m")
	ev := newEvents()
	svc, err := New(Options{SettingsDir: t.TempDir(), Logger: quiet, Emit: ev.emit,
		Models:   func() []registry.Model { return list },
		Endpoint: func() (string, string) { return current, "k" }})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	req := SuggestRequest{Kind: KindContinue, Fragments: []string{"A."}}
	if _, err := svc.Suggest(req); !errors.Is(err, ErrNoProxy) {
		t.Fatalf("err = %v, want ErrNoProxy", err)
	}
	for _, fake := range []*fakeBackend{one, two} {
		current = fake.baseURL()
		id, err := svc.Suggest(req)
		if err != nil {
			t.Fatal(err)
		}
		if got := recv(t, fake.requests, "a request").Header.Get("Authorization"); got != "Bearer k" {
			t.Errorf("Authorization = %q", got)
		}
		ev.until(t, id)
	}
}
