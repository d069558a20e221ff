package llproxy

import (
	"context"
	"net/http"
	"time"

	"fragmenteditor/backend/discovery"
	"fragmenteditor/backend/statuspage"
)

// The status page's paths on the proxy's port.
const (
	statusPath = "/status"
	rescanPath = "/status/rescan"
	logoutPath = "/login?logout"
)

// rescanWait bounds how long POST /status/rescan waits for the run it
// asked for before showing the page (a run is bounded by probe_timeout
// per port, plus SSH logins).
const rescanWait = 15 * time.Second

// mountStatus serves /status and /status/rescan on r's proxy, behind the
// proxy's access rules (Host check, keys or a login, same-origin posts).
func (s *Service) mountStatus(r *running) {
	r.proxy.Mount(statusPath, http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method != http.MethodGet && req.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		statuspage.Serve(w, req, s.statusView(r, req))
	}))
	r.proxy.Mount(rescanPath, http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method != http.MethodPost {
			w.Header().Set("Allow", "POST")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		s.rescanAndWait(req.Context(), r)
		http.Redirect(w, req, statusPath, http.StatusSeeOther)
	}))
}

// rescanAndWait asks r's discovery for a run and waits until a run that
// started after the request has finished, ctx ends, or rescanWait passes.
func (s *Service) rescanAndWait(ctx context.Context, r *running) {
	asked := time.Now()
	done := make(chan struct{}, 1)
	cancel := s.Subscribe(func(e Event) {
		if e.Kind == EventStatusChanged && r.disc.LastReport().Started.After(asked) {
			select {
			case done <- struct{}{}:
			default:
			}
		}
	})
	defer cancel()
	r.disc.Rescan()
	ctx, stop := context.WithTimeout(ctx, rescanWait)
	defer stop()
	select {
	case <-done:
	case <-ctx.Done():
	}
}

// statusView is what /status shows for r, as req's viewer sees it.
func (s *Service) statusView(r *running, req *http.Request) statuspage.View {
	st := s.Status()
	rep := st.Discovery
	v := statuspage.View{
		Version: st.Version, Instance: st.Instance, ListenAddr: st.ListenAddr, BaseURL: st.BaseURL,
		Now: time.Now(), Warning: st.Warning, Error: st.Error,
		LastRun: rep.Started, LastDuration: rep.Duration, NextRun: r.disc.NextRun(),
		RescanPath: rescanPath,
	}
	if _, ok := r.proxy.Guard().Session(req); ok {
		v.LogoutPath = logoutPath
	}
	for _, m := range s.reg.Load().Models() {
		pm := statuspage.Model{Name: m.Name, ID: m.ID, Tags: m.Tags}
		for _, b := range m.Replicas {
			pm.Replicas = append(pm.Replicas, statuspage.Replica{
				Addr: plainReplicaLabel(b), Via: b.Via(), InFlight: r.proxy.InFlight(b.BaseURL),
			})
		}
		v.Models = append(v.Models, pm)
	}
	v.Endpoints = endpointViews(rep.Endpoints)
	return v
}

func endpointViews(eps []discovery.EndpointReport) []statuspage.Endpoint {
	out := make([]statuspage.Endpoint, 0, len(eps))
	for _, e := range eps {
		out = append(out, statuspage.Endpoint{
			Label: e.Label, Target: e.Target, Via: e.Via, Tunnel: e.Tunnel, Skipped: e.Skipped,
			Probed: e.Probed, Answered: e.Answered, Refused: e.Refused, Kept: e.Kept, Models: e.Models,
			SSHError: e.SSHError, Errors: e.Errors, Ports: e.Ports, Duration: e.Duration,
		})
	}
	return out
}
