package access

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"sync"
	"time"
)

// SessionTTL is how long a browser session lasts after its login.
const SessionTTL = 7 * 24 * time.Hour

// maxSessions bounds the store; logging in past it drops the sessions
// closest to expiry first.
const maxSessions = 10_000

// Session is one logged-in browser.
type Session struct {
	// ID is the cookie's value: 32 random bytes, base64url.
	ID string
	// CSRF is a random token for forms that carry one (compare it with
	// Session.CheckCSRF).
	CSRF    string
	Expires time.Time
	key     keyHash // the key that opened it
}

// CheckCSRF compares token with the session's CSRF token in constant time.
func (s Session) CheckCSRF(token string) bool {
	return token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.CSRF)) == 1
}

// Sessions is an in-memory session store, safe for concurrent use. The
// zero value is not usable; call NewSessions.
type Sessions struct {
	now func() time.Time

	mu sync.Mutex // guards byID
	by map[string]Session
}

// NewSessions returns an empty store.
func NewSessions() *Sessions { return &Sessions{now: time.Now, by: map[string]Session{}} }

// open starts a session for a browser that showed key k.
func (s *Sessions) open(k keyHash) Session {
	sess := Session{ID: randomToken(), CSRF: randomToken(), Expires: s.now().Add(SessionTTL), key: k}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.by) >= maxSessions {
		s.evictLocked()
	}
	s.by[sess.ID] = sess
	return sess
}

// lookup finds a live session by id.
func (s *Sessions) lookup(id string) (Session, bool) {
	if id == "" {
		return Session{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.by[id]
	if !ok {
		return Session{}, false
	}
	if !s.now().Before(sess.Expires) {
		delete(s.by, id)
		return Session{}, false
	}
	return sess, true
}

// close ends a session (no-op when unknown).
func (s *Sessions) close(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.by, id)
}

// Len is the number of sessions held (expired ones included until they
// are next looked up or evicted).
func (s *Sessions) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.by)
}

// evictLocked drops expired sessions, then, if still full, the tenth
// closest to expiry.
func (s *Sessions) evictLocked() {
	now := s.now()
	for id, sess := range s.by {
		if !now.Before(sess.Expires) {
			delete(s.by, id)
		}
	}
	if len(s.by) < maxSessions {
		return
	}
	cut := now.Add(SessionTTL / 10)
	for len(s.by) >= maxSessions {
		for id, sess := range s.by {
			if sess.Expires.Before(cut) {
				delete(s.by, id)
			}
		}
		cut = cut.Add(SessionTTL / 10)
	}
}

func randomToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b[:])
}
