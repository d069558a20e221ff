package proxy

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"fragmenteditor/backend/metrics"
)

// InstanceHeader carries, upstream, the ids of the llproxy instances a
// request went through, comma-separated, each appending its own. A request
// that already names this instance, or went through more than MaxHops
// instances, is refused with 508 Loop Detected: two proxies that discovered
// each other cannot bounce a request forever, while a deliberate chain
// (the desktop app in front of a server's llproxy) still works.
const InstanceHeader = "X-LLProxy-Instance"

// MaxHops bounds a chain of llproxy instances.
const MaxHops = 8

// ctxModel is the echo.Context key for the model name a request was routed
// by, for metrics.
const ctxModel = "llproxy.model"

// countRequests records every /v1 request in metrics: the model it was
// routed by (empty when none) and the status the client got.
func (s *Server) countRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			status := c.Response().Status
			switch {
			case errors.Is(err, ErrClientGone):
				status = metrics.StatusClientClosed
			case errors.Is(err, errAbort):
				status = http.StatusBadGateway // the client saw a cut response
			case err != nil && !c.Response().Committed:
				status, _ = apiError(err)
			}
			s.metrics.ObserveRequest(modelOf(c), status)
		}()
		return next(c)
	}
}

func modelOf(c echo.Context) string {
	m, _ := c.Get(ctxModel).(string)
	return m
}

// cors answers browser preflights itself (they are never forwarded) and
// puts the CORS headers on every response to an allowed origin, streamed
// and error responses included. A request from an origin that is not
// allowed is refused outright: a page the user happens to visit must not
// drive their local models, even with a "simple" request that needs no
// preflight.
func (s *Server) cors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		origin := req.Header.Get(echo.HeaderOrigin)
		h := c.Response().Header()
		h.Add(echo.HeaderVary, echo.HeaderOrigin)
		if origin == "" {
			return next(c)
		}
		if !s.settings.Load().originAllowed(origin) {
			return fail(ErrOriginNotAllowed, nil, "origin %q is not allowed (see cors_origins in the config)", origin)
		}
		h.Set(echo.HeaderAccessControlAllowOrigin, origin)
		h.Set(echo.HeaderAccessControlExposeHeaders, "*")
		if req.Method != http.MethodOptions || req.Header.Get(echo.HeaderAccessControlRequestMethod) == "" {
			return next(c)
		}
		h.Add(echo.HeaderVary, echo.HeaderAccessControlRequestMethod)
		h.Add(echo.HeaderVary, echo.HeaderAccessControlRequestHeaders)
		h.Set(echo.HeaderAccessControlAllowMethods, "GET, POST, OPTIONS")
		if asked := req.Header.Get(echo.HeaderAccessControlRequestHeaders); asked != "" {
			h.Set(echo.HeaderAccessControlAllowHeaders, asked)
		}
		if req.Header.Get("Access-Control-Request-Private-Network") == "true" {
			h.Set("Access-Control-Allow-Private-Network", "true")
		}
		h.Set(echo.HeaderAccessControlMaxAge, "600")
		return c.NoContent(http.StatusNoContent)
	}
}

// checkHost refuses, before routing, a request whose Host does not name
// this proxy (DNS rebinding): 421 on every path.
func (s *Server) checkHost(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := s.guard.CheckHost(c.Request()); err != nil {
			return accessError(err)
		}
		return next(c)
	}
}

// requireKey checks the client's key when keys are configured:
// "Authorization: Bearer KEY", "x-api-key: KEY", or the session cookie of
// a browser that logged in with one (see access.Guard.Authenticate).
func (s *Server) requireKey(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, err := s.guard.Authenticate(c.Request()); err != nil {
			return accessError(err)
		}
		return next(c)
	}
}

// loopGuard refuses a request that this instance already forwarded, or one
// that went through too many llproxy instances.
func (s *Server) loopGuard(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if hops := instanceChain(c.Request().Header); len(hops) > 0 {
			for _, id := range hops {
				if id == s.instance {
					return fail(ErrLoopDetected, nil, "request loop detected: it already went through this llproxy (instance %s)", s.instance)
				}
			}
			if len(hops) >= MaxHops {
				return fail(ErrLoopDetected, nil, "request went through %d llproxy instances (limit %d)", len(hops), MaxHops)
			}
		}
		return next(c)
	}
}

// instanceChain lists the instance ids in InstanceHeader.
func instanceChain(h http.Header) []string {
	var ids []string
	for _, v := range h.Values(InstanceHeader) {
		for id := range strings.SplitSeq(v, ",") {
			if id = strings.TrimSpace(id); id != "" {
				ids = append(ids, id)
			}
		}
	}
	return ids
}
