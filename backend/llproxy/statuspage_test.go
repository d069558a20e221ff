package llproxy

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"fragmenteditor/backend/llproxy/llproxytest"
)

// pageClient keeps cookies like a browser and does not follow redirects.
func pageClient(t *testing.T) *http.Client {
	t.Helper()
	return &http.Client{
		Timeout:       waitLimit,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

func pageDo(t *testing.T, c *http.Client, method, url string, body io.Reader, hdr ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i] == "Host" {
			req.Host = hdr[i+1]
			continue
		}
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestStatusPage_Open(t *testing.T) {
	b := llproxytest.NewBackend(t, "127.0.0.133", []string{mistralID})
	port := llproxytest.FreePort(t, "127.0.0.134")
	h := startHarness(t, "127.0.0.134", port, endpointOf(b, "gpu"))
	h.waitModels("mistral-7b-instruct-v0.3.Q4_K_M:gpu")
	base := "http://127.0.0.134:" + strconv.Itoa(port)
	c := pageClient(t)

	resp, page := pageDo(t, c, "GET", base+"/status", nil, "Accept", "text/html")
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /status: %d %s", resp.StatusCode, page)
	}
	for _, want := range []string{"mistral-7b-instruct-v0.3.Q4_K_M:gpu", b.Addr() + "</span> <span class=\"via\">direct</span>",
		`<span class="tag">gpu</span>`, "answered 1 of 1", `action="/status/rescan"`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, "<script") {
		t.Error("the page has a script")
	}

	// DNS rebinding gets nothing.
	if resp, body := pageDo(t, c, "GET", base+"/status", nil, "Host", "evil.example:"+strconv.Itoa(port)); resp.StatusCode != 421 ||
		!strings.Contains(body, "misdirected_request") {
		t.Errorf("rebinding: %d %s", resp.StatusCode, body)
	}
	// A page elsewhere cannot press Rescan.
	before := h.svc.Status().Discovery.Started
	if resp, body := pageDo(t, c, "POST", base+"/status/rescan", nil, "Origin", "http://evil.example"); resp.StatusCode != 403 ||
		!strings.Contains(body, "cross_origin") {
		t.Errorf("cross-origin rescan: %d %s", resp.StatusCode, body)
	}
	if resp, _ := pageDo(t, c, "GET", base+"/status/rescan", nil); resp.StatusCode != 405 {
		t.Errorf("GET /status/rescan: %d", resp.StatusCode)
	}
	if got := h.svc.Status().Discovery.Started; !got.Equal(before) {
		t.Error("a refused rescan ran discovery")
	}
	// The page's own form post rescans and comes back after the run.
	resp, _ = pageDo(t, c, "POST", base+"/status/rescan", nil, "Origin", base, "Sec-Fetch-Site", "same-origin")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/status" {
		t.Fatalf("rescan: %d %v", resp.StatusCode, resp.Header)
	}
	if got := h.svc.Status().Discovery.Started; !got.After(before) {
		t.Errorf("rescan returned before a new run finished (last run %v, before %v)", got, before)
	}
}

func TestStatusPage_WithKeysNeedsLogin(t *testing.T) {
	b := llproxytest.NewBackend(t, "127.0.0.133", []string{mistralID})
	port := llproxytest.FreePort(t, "127.0.0.135")
	h := newHarness(t, "127.0.0.135", port, endpointOf(b))
	var m map[string]any
	_ = json.Unmarshal(configJSON("127.0.0.135", port, endpointOf(b)), &m)
	m["api_keys"] = []string{"sesame"}
	data, _ := json.Marshal(m)
	h.write(data)
	h.start()
	h.waitModels("mistral-7b-instruct-v0.3.Q4_K_M")
	base := "http://127.0.0.135:" + strconv.Itoa(port)
	c := pageClient(t)

	resp, page := pageDo(t, c, "GET", base+"/status", nil, "Accept", "text/html")
	if resp.StatusCode != 401 || !strings.Contains(page, `<form class="login" method="post" action="/login">`) ||
		!strings.Contains(page, `name="next" value="/status"`) || strings.Contains(page, "mistral") {
		t.Fatalf("without a key: %d %s", resp.StatusCode, page)
	}
	if resp, _ := pageDo(t, c, "GET", base+"/status", nil); resp.StatusCode != 401 {
		t.Fatalf("API client without a key: %d", resp.StatusCode)
	}
	form := url.Values{"key": {"sesame"}, "next": {"/status"}}.Encode()
	resp, _ = pageDo(t, c, "POST", base+"/login", strings.NewReader(form),
		"Content-Type", "application/x-www-form-urlencoded", "Origin", base)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/status" || len(resp.Cookies()) != 1 {
		t.Fatalf("login: %d %v", resp.StatusCode, resp.Header)
	}
	cookie := resp.Cookies()[0]
	if !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode {
		t.Errorf("cookie %+v", cookie)
	}
	resp, page = pageDo(t, c, "GET", base+"/status", nil, "Cookie", cookie.Name+"="+cookie.Value)
	if resp.StatusCode != 200 || !strings.Contains(page, "mistral-7b-instruct-v0.3.Q4_K_M") || !strings.Contains(page, "Log out") {
		t.Fatalf("with the cookie: %d %s", resp.StatusCode, page)
	}
	if resp, _ := pageDo(t, c, "GET", base+"/status", nil, "Authorization", "Bearer sesame"); resp.StatusCode != 200 {
		t.Fatalf("with the key in a header: %d", resp.StatusCode)
	}
}
