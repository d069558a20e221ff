package access

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"
)

// ErrUnauthorized: a key is required and none, or a wrong one, came with
// the request (HTTP 401).
var ErrUnauthorized = errors.New("missing or invalid access key")

// keyHash is a key's SHA-256: keys are kept and compared only as hashes,
// so comparisons take the same time whatever the key.
type keyHash [sha256.Size]byte

func hashKey(k string) keyHash { return sha256.Sum256([]byte(k)) }

// Keys is an immutable set of accepted keys. The zero value is empty (no
// key required).
type Keys struct{ hashes []keyHash }

// NewKeys builds a set from keys; empty strings are ignored (never valid).
func NewKeys(keys ...string) Keys {
	var k Keys
	for _, s := range keys {
		if s != "" {
			k.hashes = append(k.hashes, hashKey(s))
		}
	}
	return k
}

// Empty reports whether the set has no key, meaning none is required.
func (k Keys) Empty() bool { return len(k.hashes) == 0 }

// Match reports whether key is in the set, comparing against every key in
// constant time. An empty key never matches.
func (k Keys) Match(key string) bool { return key != "" && k.has(hashKey(key)) }

func (k Keys) has(h keyHash) bool {
	ok := 0
	for i := range k.hashes {
		ok |= subtle.ConstantTimeCompare(h[:], k.hashes[i][:])
	}
	return ok == 1
}

// RequestKey is the key a client sent as "Authorization: Bearer KEY" or
// "x-api-key: KEY"; empty when neither.
func RequestKey(h http.Header) string {
	if auth := h.Get("Authorization"); auth != "" {
		scheme, key, ok := strings.Cut(auth, " ")
		if ok && strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(key)
		}
	}
	return h.Get("X-Api-Key")
}
