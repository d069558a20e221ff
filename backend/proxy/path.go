package proxy

import (
	"net/url"
	"strings"
)

// upstreamPath is the path a POST /v1/* request is forwarded with: its own
// escaped path, when that is already clean and stays under /v1/. Anything
// else is refused, never cleaned up and forwarded: "." and ".." segments
// (also escaped, as %2e), escaped separators (%2f, %5c, which a backend
// may decode into a path), backslashes, empty segments and control
// characters. Such a path could otherwise reach a backend's other routes
// with the backend's key. Pure.
func upstreamPath(u *url.URL) (string, error) {
	raw := u.EscapedPath()
	decoded, err := url.PathUnescape(raw)
	switch {
	case err != nil:
		return "", fail(ErrBadPath, err, "the path is not validly escaped")
	case !strings.HasPrefix(decoded, "/v1/") || len(decoded) == len("/v1/"):
		return "", fail(ErrBadPath, nil, "the path must be under /v1/")
	case containsFold(raw, "%2f") || containsFold(raw, "%5c") || strings.ContainsRune(decoded, '\\'):
		return "", fail(ErrBadPath, nil, "the path may not contain escaped slashes or backslashes")
	case strings.IndexFunc(decoded, isControl) >= 0:
		return "", fail(ErrBadPath, nil, "the path may not contain control characters")
	}
	segs := strings.Split(strings.TrimSuffix(decoded[1:], "/"), "/")
	for _, seg := range segs {
		switch seg {
		case ".", "..":
			return "", fail(ErrBadPath, nil, "the path may not contain . or .. segments")
		case "":
			return "", fail(ErrBadPath, nil, "the path may not contain empty segments (//)")
		}
	}
	return raw, nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// containsFold reports whether s contains the ASCII string sub, in any case.
func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), sub)
}
