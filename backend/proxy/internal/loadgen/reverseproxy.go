package loadgen

import (
	"bytes"
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"time"

	"fragmenteditor/backend/registry"
)

// NewReverseProxy is the yardstick: a minimal httputil.ReverseProxy that
// does the same job as the proxy's hot path (read the body, find "model",
// look it up, rewrite it to the true id, forward to the first replica,
// stream back with immediate flushes) and nothing else: no auth, CORS,
// failover, metrics or error shaping.
func NewReverseProxy(reg *registry.Registry) http.Handler {
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			body, _ := io.ReadAll(pr.In.Body)
			var req struct {
				Model string `json:"model"`
			}
			_ = json.Unmarshal(body, &req)
			m, ok := reg.Load().Lookup(req.Model)
			if !ok || len(m.Replicas) == 0 {
				return // the transport fails on the empty URL: 502
			}
			target, _ := url.Parse(m.Replicas[0].BaseURL)
			pr.SetURL(target)
			from, _ := json.Marshal(req.Model)
			to, _ := json.Marshal(m.ID)
			body = bytes.Replace(body, append([]byte(`"model":`), from...), append([]byte(`"model":`), to...), 1)
			pr.Out.Body = io.NopCloser(bytes.NewReader(body))
			pr.Out.ContentLength = int64(len(body))
		},
		FlushInterval: -1,
		Transport:     Transport(256),
		ErrorLog:      log.New(io.Discard, "", 0), // cancelled runs are expected
	}
}

// Transport is the tuned client transport every side of a measurement
// uses: pooled keep-alive connections, no compression.
func Transport(conns int) *http.Transport {
	return &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 3 * time.Second}).DialContext,
		MaxIdleConns:        conns * 2,
		MaxIdleConnsPerHost: conns,
		IdleConnTimeout:     30 * time.Second,
		DisableCompression:  true,
	}
}
