//go:build desktop

package desktoptest

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeLLM is an OpenAI-compatible server shaped like llama.cpp's: one
// model, streamed chat and text completions that answer word by word. The
// n-th request gets replies[n % len(replies)].
type fakeLLM struct {
	srv     *httptest.Server
	port    int
	replies []string

	mu       sync.Mutex // guards requests and finished
	requests []map[string]any
	finished int // answers that ended (completed or cancelled)
}

// startFakeLLM listens on ip (a loopback address of the test's own).
func startFakeLLM(t *testing.T, ip string, replies ...string) *fakeLLM {
	t.Helper()
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Fatalf("listen on %s: %v", ip, err)
	}
	f := &fakeLLM{replies: replies, port: ln.Addr().(*net.TCPAddr).Port}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/models", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"object":"list","data":[{"id":"/models/fake-writer-7b.Q4_K_M.gguf","object":"model","created":1735142223,"owned_by":"llamacpp","meta":{"n_ctx_train":4096}}]}`)
	})
	mux.HandleFunc("POST /v1/chat/completions", func(w http.ResponseWriter, r *http.Request) { f.stream(w, r, true) })
	mux.HandleFunc("POST /v1/completions", func(w http.ResponseWriter, r *http.Request) { f.stream(w, r, false) })
	f.srv = httptest.NewUnstartedServer(mux)
	f.srv.Listener = ln
	f.srv.Start()
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeLLM) stream(w http.ResponseWriter, r *http.Request, chat bool) {
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	reply := f.replies[len(f.requests)%len(f.replies)]
	f.requests = append(f.requests, body)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.finished++
		f.mu.Unlock()
	}()
	w.Header().Set("Content-Type", "text/event-stream")
	probs := chat && body["logprobs"] == true
	for i, piece := range words(reply) {
		var chunk string
		switch {
		case probs:
			// llama.cpp's chat shape: each chunk carries its token's
			// logprob and candidates (the token, and it in capitals).
			p := []float64{0.9, 0.35, 0.06, 0.7, 0.97}[i%5]
			chunk = fmt.Sprintf(`{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":%q},"logprobs":{"content":[{"token":%q,"logprob":%g,"bytes":null,"top_logprobs":[{"token":%q,"logprob":%g,"bytes":null},{"token":%q,"logprob":%g,"bytes":null}]}]},"finish_reason":null}]}`,
				piece, piece, math.Log(p), piece, math.Log(p), strings.ToUpper(piece), math.Log(1-p))
		case chat:
			chunk = fmt.Sprintf(`{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":%q},"finish_reason":null}]}`, piece)
		default:
			chunk = fmt.Sprintf(`{"id":"c1","object":"text_completion","created":1,"model":"m","choices":[{"index":0,"text":%q,"finish_reason":null}]}`, piece)
		}
		fmt.Fprintf(w, "data: %s\n\n", chunk)
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
			return
		default:
		}
	}
	io.WriteString(w, "data: [DONE]\n\n")
}

// seen returns the request bodies received so far.
func (f *fakeLLM) seen() []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]map[string]any(nil), f.requests...)
}

// ended counts the answers that have ended.
func (f *fakeLLM) ended() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.finished
}

// proxyConfig is a config whose proxy listens on port and scans only the
// fake's address.
func proxyConfig(port int, f *fakeLLM, ip string) string {
	return fmt.Sprintf(`{"port": %d, "interval": 1000, "endpoints": [{"hostname": %q, "port_start": %d, "port_end": %d}]}`, port, ip, f.port, f.port)
}

// words splits s into streamable pieces, each word with the space before it.
func words(s string) []string {
	var out []string
	start := 0
	for i := 1; i < len(s); i++ {
		if s[i] == ' ' {
			out = append(out, s[start:i])
			start = i
		}
	}
	return append(out, s[start:])
}

// storyReplies are the fake server's replies in the suggestion tests.
var storyReplies = []string{
	"The keeper climbed the stairs one last time. Then he slept.",
	"Somewhere below, a bell began to ring.",
	"Nobody in the village had seen the light go out before.",
}

// startAppWithFakeLLM starts a fake LLM server on ip answering replies and
// the app (its own Xvfb and home) with a proxy that discovers it; it
// returns once the page is ready and the model is listed.
func startAppWithFakeLLM(t *testing.T, ip string, replies ...string) (fake *fakeLLM, x *xvfb, home string, a *app) {
	t.Helper()
	fake = startFakeLLM(t, ip, replies...)
	x = startXvfb(t)
	home = t.TempDir()
	port := freePort(t)
	writeProxyConfig(t, home, proxyConfig(port, fake, ip))
	a = startApp(t, x, home)
	a.ready()
	waitModels(t, port, 1)
	return fake, x, home, a
}

// waitModels waits until the app's proxy on port lists want models.
func waitModels(t *testing.T, port, want int) {
	t.Helper()
	waitFor(t, fmt.Sprintf("%d model(s) discovered", want), 30*time.Second, func() bool {
		resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/v1/models", port))
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		var list struct{ Data []json.RawMessage }
		json.NewDecoder(resp.Body).Decode(&list)
		return len(list.Data) == want
	})
}
