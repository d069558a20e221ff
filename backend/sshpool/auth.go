package sshpool

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// defaultKeyFiles are tried, in order, when an endpoint names no ssh_key.
var defaultKeyFiles = []string{"~/.ssh/id_ed25519", "~/.ssh/id_ecdsa", "~/.ssh/id_rsa"}

// keySource is where one signer came from, for messages.
type keySource struct {
	signer ssh.Signer
	from   string // "agent" or the file's path as configured
}

// credentials are the keys found for a target, and notes about files that
// could not be used (passphrase-protected, unreadable), for the error
// message when the server refuses every key.
type credentials struct {
	keys  []keySource
	notes []string
	close func()
}

// loadCredentials gathers keys: the agent's first, then the key file(s).
// Missing default files are not mentioned; a missing ssh_key is.
func loadCredentials(agentSock, home, keyFile string) credentials {
	var c credentials
	c.close = func() {}
	if agentSock != "" {
		if conn, err := net.Dial("unix", agentSock); err != nil {
			c.notes = append(c.notes, fmt.Sprintf("ssh-agent at SSH_AUTH_SOCK not reachable: %v", err))
		} else {
			signers, err := agent.NewClient(conn).Signers()
			if err != nil {
				c.notes = append(c.notes, fmt.Sprintf("ssh-agent: %v", err))
			}
			for _, s := range signers {
				c.keys = append(c.keys, keySource{signer: s, from: "agent"})
			}
			c.close = func() { conn.Close() }
		}
	}
	files, explicit := defaultKeyFiles, false
	if keyFile != "" {
		files, explicit = []string{keyFile}, true
	}
	for _, f := range files {
		s, note := readKey(expandHome(f, home), explicit)
		if s != nil {
			c.keys = append(c.keys, keySource{signer: s, from: f})
		}
		if note != "" {
			c.notes = append(c.notes, f+": "+note)
		}
	}
	return c
}

// readKey parses a private key file; note says why it cannot be used.
func readKey(path string, mustExist bool) (ssh.Signer, string) {
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && !mustExist:
		return nil, ""
	case err != nil:
		return nil, err.Error()
	}
	s, err := ssh.ParsePrivateKey(data)
	var missing *ssh.PassphraseMissingError
	switch {
	case errors.As(err, &missing):
		return nil, "protected by a passphrase: add it to ssh-agent (ssh-add) instead"
	case err != nil:
		return nil, "not a private key: " + err.Error()
	}
	return s, ""
}

// authMethod offers every key, agent keys first.
func (c credentials) authMethod() ssh.AuthMethod {
	return ssh.PublicKeysCallback(func() ([]ssh.Signer, error) {
		out := make([]ssh.Signer, len(c.keys))
		for i, k := range c.keys {
			out[i] = k.signer
		}
		return out, nil
	})
}

// describe lists what was offered, for "key refused" messages.
func (c credentials) describe() string {
	var agentKeys int
	var files []string
	for _, k := range c.keys {
		if k.from == "agent" {
			agentKeys++
		} else {
			files = append(files, k.from)
		}
	}
	var parts []string
	if agentKeys > 0 {
		parts = append(parts, fmt.Sprintf("%d agent key(s)", agentKeys))
	}
	parts = append(parts, files...)
	s := strings.Join(parts, ", ")
	if len(c.notes) > 0 {
		s += "; " + strings.Join(c.notes, "; ")
	}
	return s
}

// expandHome turns a leading "~/" into home.
func expandHome(path, home string) string {
	if rest, ok := strings.CutPrefix(path, "~/"); ok && home != "" {
		return filepath.Join(home, rest)
	}
	return path
}
