// Package discovery finds the models that LLM servers offer and publishes
// them to a registry.Registry as immutable snapshots.
//
// A Scheduler runs discovery once at start and then every configured
// interval; runs never overlap. A run probes every port of every enabled
// endpoint (GET /v1/models) with a bounded worker pool, turns the answers
// into final model names, groups replicas, and stores one new
// registry.Snapshot. It owns the scheduling, the probing and the memory
// carried from run to run (models kept for a busy server, stable names);
// it leaves routing to the proxy and config parsing to package config.
//
// # Probing
//
// Each port of a host endpoint is asked GET http://host:port/v1/models; a
// URL endpoint is asked url + "/v1/models", with "Authorization: Bearer"
// when it has an apikey. An endpoint with a "models" list is not asked at
// all: each of its targets (its URL, or every port of its range) is taken
// to serve exactly those ids. Probes run concurrently (ProbeConcurrency
// workers, but no more than 512 per CPU and half of the file descriptors
// the process may still open: see probeWorkers), each limited to
// ProbeTimeout, redirects not followed, answers read up to 8 MiB. The
// proxy's own listen addresses (Options.Self and the config's host and
// port) are never probed. A host's ports are probed directly; a URL
// endpoint through the environment's proxy (HTTPS_PROXY, HTTP_PROXY,
// NO_PROXY), as the proxy forwards to it.
//
// # Limits
//
// An id longer than MaxModelIDBytes, not UTF-8, holding control or
// invisible formatting characters (Unicode Cc and Cf: U+202E and the
// like), or naming no model once cleaned ("/", "..", "a/.") is skipped. A
// server contributes at most MaxModelsPerServer ids (its first), and the
// list at most MaxModels distinct names (the first in endpoint and port
// order). Every skip is reported in the endpoint's report.
//
// # Other llproxies
//
// Probes carry this llproxy's instance (Options.Instance) in
// InstanceHeader; an llproxy's answer carries its own. Models listed by an
// llproxy are marked registry.Model.Through (unless a replica was found
// first-hand too). They are listed to clients, but an llproxy lists to
// another llproxy (a request that names an instance) only first-hand
// models. So two proxies that scan each other, or a ring of them, never
// hand names back and forth: names stay stable and the list never grows
// by itself. A model crosses one llproxy hop, not more.
//
// # Names
//
// A model's name is its backend id with directory paths removed (everything
// up to the last "/" or "\") and one trailing model-file extension dropped
// (.gguf .ggml .bin .safetensors .pt .pth .onnx .llamafile, any case); see
// CleanName. An endpoint with tags turns name into "name:tag" for each of
// its tags; without tags the final name is name itself. An endpoint's filter
// keeps a final name only if it contains one of the filter's substrings
// (case-sensitive).
//
// # Replicas
//
// The same final name coming from the same true id on several backends
// (ports or endpoints) is one model with several replicas, listed in
// endpoint order, then port order. A base URL met twice (the same server
// under two endpoints) is one replica.
//
// # Disambiguation
//
// The same final name coming from different ids (say "a/Llama-3-8B" and
// "b/Llama-3-8B") names different models. Each of them is then called
// "name:N": numbers are given in endpoint and port order, lowest free
// number first. A number, once given, is kept by its id for as long as that
// id stays present under that name, even when the other ids go away or
// appear in another order, so clients can rely on it across runs; a name
// that a plain (undisambiguated) model already uses is never handed out as
// "name:N".
//
// # Retention
//
// A server that refuses the connection is gone: its models drop at that
// run. A server that times out or answers 503 (busy, loading a model) keeps
// the models of its last good answer for one more run; if it fails again
// they drop. A server answering anything else that is not a 2xx JSON model
// list (non-JSON, 404, 500, a reset) contributes nothing at that run. New
// models appear at the next run.
package discovery
