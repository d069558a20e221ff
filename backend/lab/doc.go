// Package lab builds a small fleet of "hosts" on one Linux machine for
// LLProxy's multi-host tests and benchmarks: each host is a network
// namespace created here (ip netns), joined to the others by a veth link
// to a bridge that lives in a namespace of its own. Addresses come from
// 198.18.0.0/24 (RFC 2544's range for network tests) and are assigned only
// inside the lab's namespaces: the machine's own namespace gets no address,
// no route and no link, so nothing leaves the lab.
//
// Each host can run a real OpenSSH server (sshd -D -f CONFIG, with its own
// host key and authorized_keys, no systemd) and fake LLM servers; LLProxy
// itself runs in a lab namespace too (Proxy), as do clients (Client, or
// DialContext from the test process, which opens its sockets inside a
// namespace).
//
// Start needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN), ip (iproute2) and
// sshd (openssh-server); without them it fails saying so. Close kills
// every process the lab started and deletes its namespaces; Start also
// deletes namespaces left by an earlier run that crashed.
package lab
