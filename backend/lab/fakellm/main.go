// Command fakellm is a small OpenAI-compatible LLM server for the lab
// tests: llama.cpp's /v1/models shape, and chat completions whose text
// says which server answered ("host=h1 port=8001"), streamed or not.
//
//	fakellm -listen 127.0.0.1:8001 -host h1 -model /models/alpha.gguf
//
// A request may set "lab_chunks" (number of streamed chunks, default 3)
// and "lab_delay_ms" (pause before each chunk after the first).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:8000", "address to listen on")
	host := flag.String("host", "", "host label put in every answer")
	models := flag.String("model", "/models/lab.gguf", "comma-separated model ids")
	flag.Parse()
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	who := fmt.Sprintf("host=%s port=%s", *host, port)
	ids := strings.Split(*models, ",")
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/models", func(w http.ResponseWriter, _ *http.Request) {
		data := make([]map[string]any, 0, len(ids))
		for _, id := range ids {
			data = append(data, map[string]any{"id": id, "object": "model", "created": 1735142223, "owned_by": "llamacpp"})
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": data})
	})
	mux.HandleFunc("POST /v1/chat/completions", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Model   string `json:"model"`
			Stream  bool   `json:"stream"`
			Chunks  int    `json:"lab_chunks"`
			DelayMS int    `json:"lab_delay_ms"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, `{"error":{"message":"bad json"}}`, http.StatusBadRequest)
			return
		}
		if req.Chunks <= 0 {
			req.Chunks = 3
		}
		if !req.Stream {
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]any{
				"id": "chatcmpl-lab", "object": "chat.completion", "created": time.Now().Unix(), "model": req.Model,
				"choices": []map[string]any{{"index": 0, "finish_reason": "stop",
					"message": map[string]any{"role": "assistant", "content": who}}},
			})
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Cache-Control", "no-cache")
		flusher := w.(http.Flusher)
		for i := range req.Chunks {
			if i > 0 && req.DelayMS > 0 {
				select {
				case <-time.After(time.Duration(req.DelayMS) * time.Millisecond):
				case <-r.Context().Done():
					return
				}
			}
			content := fmt.Sprintf(" %d", i)
			if i == 0 {
				content = who
			}
			chunk, _ := json.Marshal(map[string]any{
				"id": "chatcmpl-lab", "object": "chat.completion.chunk", "created": time.Now().Unix(), "model": req.Model,
				"choices": []map[string]any{{"index": 0, "delta": map[string]any{"role": "assistant", "content": content}, "finish_reason": nil}},
			})
			fmt.Fprintf(w, "data: %s\n\n", chunk)
			flusher.Flush()
		}
		fmt.Fprint(w, "data: [DONE]\n\n")
		flusher.Flush()
	})
	fmt.Fprintf(os.Stderr, "fakellm %s listening on %s\n", who, ln.Addr())
	log.Fatal(http.Serve(ln, mux))
}
