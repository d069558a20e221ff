// Package sshpool keeps one SSH connection per host for LLProxy's SSH
// endpoints, shared by discovery (running a command to list ports, probing
// through tunnels) and the proxy (requests through tunnels).
//
// A connection is made on first use with golang.org/x/crypto/ssh, never the
// ssh binary. Keys come from the agent (SSH_AUTH_SOCK), then from the
// endpoint's ssh_key file, or else ~/.ssh/id_ed25519, id_ecdsa and id_rsa.
// The host key is checked against known_hosts (~/.ssh/known_hosts or the
// endpoint's file): an unknown or changed key is an error naming the host
// and the fingerprint and saying how to trust it; nothing is ever trusted
// silently.
//
// A live connection sends keepalive@openssh.com every KeepAlive and is
// closed when one goes unanswered for as long, so that a host whose link
// went down is noticed and the streams through it end. After a failure the
// host is not tried again before a backoff (1 s doubling up to 30 s);
// calls in between fail at once with the last error, so a dead host never
// delays anyone. A connection with nothing open for IdleTimeout (a host
// no longer configured) is closed. Dial opens direct-tcpip channels: the
// "tunnel".
package sshpool
