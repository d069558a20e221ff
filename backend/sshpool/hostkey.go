package sshpool

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// ErrHostKey marks a host key that known_hosts does not vouch for; the
// error's text says which key, and how to trust it.
var ErrHostKey = errors.New("host key not trusted")

// hostKeys checks server keys against one known_hosts file.
type hostKeys struct {
	file     string
	callback ssh.HostKeyCallback // nil when the file does not exist
}

func loadHostKeys(file string) (*hostKeys, error) {
	hk := &hostKeys{file: file}
	cb, err := knownhosts.New(file)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return hk, nil // every key is unknown: the check says how to add one
	case err != nil:
		return nil, fmt.Errorf("known_hosts %s: %w", file, err)
	}
	hk.callback = cb
	return hk, nil
}

// check is the ssh.HostKeyCallback for t.
func (hk *hostKeys) check(t Target) ssh.HostKeyCallback {
	return func(hostname string, remote net.Addr, key ssh.PublicKey) error {
		if hk.callback == nil {
			return hostKeyError(t, hk.file, key, nil)
		}
		err := hk.callback(hostname, remote, key)
		var ke *knownhosts.KeyError
		var re *knownhosts.RevokedError
		switch {
		case err == nil:
			return nil
		case errors.As(err, &re):
			return fmt.Errorf("%w: %s: host key %s is marked @revoked in %s", ErrHostKey, t, ssh.FingerprintSHA256(key), hk.file)
		case errors.As(err, &ke):
			return hostKeyError(t, hk.file, key, ke.Want)
		}
		return err
	}
}

// hostKeyError explains an unknown (want empty) or changed host key.
func hostKeyError(t Target, file string, key ssh.PublicKey, want []knownhosts.KnownKey) error {
	fp := ssh.FingerprintSHA256(key)
	keyscan := "ssh-keyscan"
	if t.port() != 22 {
		keyscan += " -p " + strconv.Itoa(t.port())
	}
	keyscan += fmt.Sprintf(" -t %s %s >> %s", keyType(key.Type()), t.Host, file)
	if len(want) == 0 {
		return fmt.Errorf("%w: %s: unknown host key %s %s (not in %s); to trust it, check that fingerprint on the host "+
			"(ssh-keygen -lf /etc/ssh/ssh_host_%s_key.pub) and add the key: %s",
			ErrHostKey, t, key.Type(), fp, file, keyType(key.Type()), keyscan)
	}
	known := make([]string, 0, len(want))
	for _, w := range want {
		known = append(known, fmt.Sprintf("%s %s (%s:%d)", w.Key.Type(), ssh.FingerprintSHA256(w.Key), w.Filename, w.Line))
	}
	host := knownhosts.Normalize(t.Addr())
	return fmt.Errorf("%w: %s: host key CHANGED: the host offers %s %s but known_hosts has %s; if the host was "+
		"reinstalled and you have checked the new fingerprint, remove the old key (ssh-keygen -R '%s' -f %s) and add the new one: %s",
		ErrHostKey, t, key.Type(), fp, strings.Join(known, ", "), host, file, keyscan)
}

// keyType is the ssh-keyscan -t name of a key type.
func keyType(t string) string {
	switch {
	case t == ssh.KeyAlgoED25519:
		return "ed25519"
	case strings.HasPrefix(t, "ecdsa"):
		return "ecdsa"
	case t == ssh.KeyAlgoRSA:
		return "rsa"
	}
	return t
}

// knownAlgorithms lists the host key algorithms known_hosts has for t, so
// the server is asked for a key that can be checked (not a valid new key
// of another type, which would look changed). Nil means no preference.
func (hk *hostKeys) knownAlgorithms(t Target) []string {
	if hk.callback == nil {
		return nil
	}
	// A throwaway key is never known: the error lists the keys that are.
	pub, _, err := ed25519.GenerateKey(nil)
	if err != nil {
		return nil
	}
	probe, err := ssh.NewPublicKey(pub)
	if err != nil {
		return nil
	}
	addr := &net.TCPAddr{IP: net.ParseIP(t.Host), Port: t.port()}
	var ke *knownhosts.KeyError
	if !errors.As(hk.callback(t.Addr(), addr, probe), &ke) {
		return nil
	}
	var algos []string
	for _, w := range ke.Want {
		for _, a := range algorithmsFor(w.Key.Type()) {
			if !slices.Contains(algos, a) {
				algos = append(algos, a)
			}
		}
	}
	return algos
}

func algorithmsFor(keyType string) []string {
	if keyType == ssh.KeyAlgoRSA {
		return []string{ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSA}
	}
	return []string{keyType}
}
