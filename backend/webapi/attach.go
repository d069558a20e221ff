package webapi

import (
	"sync/atomic"

	"fragmenteditor/backend/config"
	"fragmenteditor/backend/llproxy"
	"fragmenteditor/backend/surface"
)

// Attach serves s on the port of api's proxy, following the proxy's
// config (exposure, keys, hosts, body limit) as it changes. detach stops
// serving it and ends its event streams.
func Attach(api *surface.API, s *Server) (detach func()) {
	proxy := api.Proxy()
	if proxy == nil {
		return func() {}
	}
	var applied atomic.Pointer[config.Config]
	apply := func() { // status-changed comes after every discovery run: apply only a new config
		if cfg := proxy.Config(); cfg != nil && applied.Swap(cfg) != cfg {
			s.SetConfig(cfg)
		}
	}
	apply()
	unsubscribe := api.Subscribe(func(name string, args []any) {
		if name != surface.EventProxy || len(args) == 0 {
			return
		}
		if e, ok := args[0].(llproxy.Event); ok && (e.Kind == llproxy.EventConfigApplied || e.Kind == llproxy.EventStatusChanged) {
			apply()
		}
	})
	proxy.SetSite(s)
	return func() {
		proxy.SetSite(nil)
		unsubscribe()
		s.Close()
	}
}
