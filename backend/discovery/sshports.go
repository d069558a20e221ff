package discovery

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fragmenteditor/backend/config"
)

// How an SSH endpoint's ports are found on its host. The command prints
// raw facts; remotePorts decides. Both modes keep only what the login
// user owns, and "env" only processes in the login's own network
// namespace: a port inside a container's namespace is not reachable at
// 127.0.0.1:PORT on the host.
//
// "env": the user's uid, the login shell's network namespace, each
// process's namespace and owner (stat on /proc/PID and /proc/PID/ns/net),
// then every "VAR=value" in /proc/PID/environ (grep -z).
//
// "listening": the user's uid and /proc/net/tcp and /proc/net/tcp6, whose
// LISTEN rows carry the owning uid. No ss, no netstat: /proc/net is there
// on every Linux host, for every user.

// remoteCommand is the shell command (POSIX sh, GNU or busybox stat and
// grep) that prints what remotePorts needs.
func remoteCommand(ep config.Endpoint) string {
	if ep.SSHDiscover == config.SSHDiscoverListening {
		return "echo uid $(id -u); cat /proc/net/tcp /proc/net/tcp6 2>/dev/null; true"
	}
	// EnvVar is a validated shell name: safe to put in the pattern.
	return "echo uid $(id -u); echo self $(stat -L -c %i /proc/self/ns/net); " +
		"stat -L -c 'ns %i %n' /proc/[0-9]*/ns/net 2>/dev/null; " +
		"stat -c 'owner %u %n' /proc/[0-9]* 2>/dev/null; " +
		"grep -a -z -H -e '^" + ep.EnvVar + "=' /proc/[0-9]*/environ 2>/dev/null | tr '\\000' '\\n'; true"
}

// remotePorts reads remoteCommand's output into the sorted, deduplicated
// ports to probe: within the endpoint's port range if it has one, never
// the SSH server's own port.
func remotePorts(ep config.Endpoint, out []byte) ([]int, error) {
	var found []int
	var err error
	if ep.SSHDiscover == config.SSHDiscoverListening {
		found, err = listeningPorts(out)
	} else {
		found, err = envPorts(ep.EnvVar, out)
	}
	if err != nil {
		return nil, err
	}
	keep := found[:0]
	for _, p := range found {
		inRange := ep.PortStart == 0 || p >= ep.PortStart && p <= max(ep.PortEnd, ep.PortStart)
		if inRange && p != ep.SSHPort {
			keep = append(keep, p)
		}
	}
	slices.Sort(keep)
	return slices.Compact(keep), nil
}

var errNoUID = errors.New("the host did not report the user's uid (is it Linux with /proc?)")

func envPorts(envVar string, out []byte) ([]int, error) {
	uid, self := "", ""
	nsOf := map[string]string{}    // "/proc/PID" → netns inode
	ownerOf := map[string]string{} // "/proc/PID" → uid
	var values []struct{ proc, value string }
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		f := strings.Fields(line)
		switch {
		case len(f) == 2 && f[0] == "uid":
			uid = f[1]
		case len(f) == 2 && f[0] == "self":
			self = f[1]
		case len(f) == 3 && f[0] == "ns":
			nsOf[strings.TrimSuffix(f[2], "/ns/net")] = f[1]
		case len(f) == 3 && f[0] == "owner":
			ownerOf[f[2]] = f[1]
		case strings.HasPrefix(line, "/proc/"):
			file, assignment, ok := strings.Cut(line, ":")
			value, ok2 := strings.CutPrefix(assignment, envVar+"=")
			if ok && ok2 {
				values = append(values, struct{ proc, value string }{strings.TrimSuffix(file, "/environ"), value})
			}
		}
	}
	if uid == "" {
		return nil, errNoUID
	}
	var ports []int
	for _, v := range values {
		if ownerOf[v.proc] != uid || self != "" && nsOf[v.proc] != self {
			continue
		}
		if p, ok := portValue(v.value); ok {
			ports = append(ports, p)
		}
	}
	return ports, nil
}

// portValue reads a port from a variable's value: "8080", or the port of
// "host:8080".
func portValue(v string) (int, bool) {
	v = strings.TrimSpace(v)
	if i := strings.LastIndexByte(v, ':'); i >= 0 {
		v = v[i+1:]
	}
	p, err := strconv.Atoi(v)
	return p, err == nil && p >= 1 && p <= 65535
}

// tcpListen is the "st" value of a listening socket in /proc/net/tcp*.
const tcpListen = "0A"

func listeningPorts(out []byte) ([]int, error) {
	uid := ""
	var ports []int
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 2 && f[0] == "uid" {
			uid = f[1]
			continue
		}
		// sl local_address rem_address st tx:rx tr:when retrnsmt uid …
		if len(f) < 8 || !strings.HasSuffix(f[0], ":") || f[3] != tcpListen || f[7] != uid {
			continue
		}
		_, hexPort, ok := strings.Cut(f[1], ":")
		p, err := strconv.ParseUint(hexPort, 16, 16)
		if ok && err == nil && p > 0 {
			ports = append(ports, int(p))
		}
	}
	if uid == "" {
		return nil, errNoUID
	}
	return ports, nil
}

// sshListError words a failed listing for reports.
func sshListError(err error) string { return fmt.Sprintf("ssh: %v", err) }
