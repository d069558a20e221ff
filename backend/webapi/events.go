package webapi

import (
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// eventBuffer is how many events may wait for a slow client; past it the
// stream ends and the client reconnects (and reloads what it shows).
const eventBuffer = 4096

// reconnectMs is the reconnection delay the stream asks browsers for.
const reconnectMs = 1000

// events streams every event of the API as Server-Sent Events until the
// client goes away, it falls too far behind, or Close.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeError(w, methodNotAllowed("GET"))
		return
	}
	if _, err := s.guard.Authenticate(r); err != nil {
		writeError(w, accessError(err))
		return
	}
	queue := make(chan []byte, eventBuffer)
	behind := make(chan struct{})
	var once sync.Once
	unsubscribe := s.api.Subscribe(func(name string, args []any) {
		frame, err := encodeEvent(name, args)
		if err != nil {
			s.log.Error("encoding an event", "event", name, "err", err)
			return
		}
		select {
		case queue <- frame:
		default:
			once.Do(func() { close(behind) })
		}
	})
	defer unsubscribe()

	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("X-Accel-Buffering", "no") // no buffering in a reverse proxy in front
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write([]byte("retry: " + strconv.Itoa(reconnectMs) + "\n: connected\n\n")); err != nil {
		return
	}
	if rc.Flush() != nil {
		return
	}
	ping := time.NewTicker(s.heartbeat)
	defer ping.Stop()
	for {
		var frame []byte
		select {
		case frame = <-queue:
		case <-ping.C:
			frame = []byte(": ping\n\n")
		case <-behind:
			s.log.Warn("event stream fell behind; closing it (the page reconnects)", "remote", r.RemoteAddr)
			return
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		}
		if !writeFrames(w, frame, queue) || rc.Flush() != nil {
			return
		}
	}
}

// writeFrames writes frame and whatever else is queued already, so a
// burst costs one flush.
func writeFrames(w http.ResponseWriter, frame []byte, queue chan []byte) bool {
	for {
		if _, err := w.Write(frame); err != nil {
			return false
		}
		select {
		case frame = <-queue:
		default:
			return true
		}
	}
}

// encodeEvent is one SSE frame: the name and the JSON array of the args.
func encodeEvent(name string, args []any) ([]byte, error) {
	if args == nil {
		args = []any{}
	}
	data, err := json.Marshal(args)
	if err != nil {
		return nil, err
	}
	b := make([]byte, 0, len(name)+len(data)+16)
	b = append(b, "event: "...)
	b = append(b, name...)
	b = append(b, "\ndata: "...)
	b = append(b, data...)
	return append(b, "\n\n"...), nil
}
