package discovery

import (
	"reflect"
	"strings"
	"testing"

	"fragmenteditor/backend/config"
)

func TestRemotePorts(t *testing.T) {
	envOut := strings.Join([]string{
		"uid 1000",
		"self 4026531840",
		"ns 4026531840 /proc/100/ns/net",
		"ns 4026531840 /proc/101/ns/net",
		"ns 4026532999 /proc/102/ns/net", // another namespace (a container)
		"ns 4026531840 /proc/103/ns/net",
		"ns 4026531840 /proc/104/ns/net",
		"owner 1000 /proc/100",
		"owner 1000 /proc/101",
		"owner 1000 /proc/102",
		"owner 0 /proc/103", // another user's
		"owner 1000 /proc/104",
		"/proc/100/environ:LLAMA_PORT=8080",
		"/proc/101/environ:LLAMA_PORT= 8081 ",
		"/proc/102/environ:LLAMA_PORT=8082",
		"/proc/103/environ:LLAMA_PORT=8083",
		"/proc/104/environ:LLAMA_PORT=0.0.0.0:8080", // the same port again
		"/proc/104/environ:LLAMA_PORT_X=9999",
		"/proc/105/environ:LLAMA_PORT=notaport",
	}, "\n")
	tcpOut := `uid 1000
  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 1 1 0 100 0 0 10 0
   1: 0212A8C6:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 2 1 0 100 0 0 10 0
   2: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 3 1 0 100 0 0 10 0
   3: 0100007F:1F92 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4 1 0 100 0 0 10 0
   4: 0100007F:1F93 0100007F:A000 01 00000000:00000000 00:00000000 00000000  1000        0 5 1 0 100 0 0 10 0
  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 6 1 0 100 0 0 10 0
`
	cases := []struct {
		name string
		ep   config.Endpoint
		out  string
		want []int
		err  string
	}{
		{"env: own processes in this namespace, deduplicated", config.Endpoint{EnvVar: "LLAMA_PORT", SSHDiscover: "env", SSHPort: 22}, envOut, []int{8080, 8081}, ""},
		{"env within a range", config.Endpoint{EnvVar: "LLAMA_PORT", SSHDiscover: "env", SSHPort: 22, PortStart: 8081, PortEnd: 8090}, envOut, []int{8081}, ""},
		{"listening: own LISTEN sockets, not the SSH port", config.Endpoint{SSHDiscover: "listening", SSHPort: 22}, tcpOut, []int{8080, 8081}, ""},
		{"listening with the SSH server elsewhere", config.Endpoint{SSHDiscover: "listening", SSHPort: 2222}, tcpOut, []int{22, 8080, 8081}, ""},
		{"not Linux", config.Endpoint{SSHDiscover: "listening"}, "sh: cat: not found\n", nil, "uid"},
		{"nothing found", config.Endpoint{EnvVar: "P", SSHDiscover: "env"}, "uid 5\nself 1\n", nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := remotePorts(tc.ep, []byte(tc.out))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want one mentioning %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) == 0 {
				got = nil
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ports = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestRemoteCommandQuotesOnlyAValidatedName(t *testing.T) {
	cmd := remoteCommand(config.Endpoint{EnvVar: "LLAMA_PORT", SSHDiscover: "env"})
	if !strings.Contains(cmd, "'^LLAMA_PORT='") {
		t.Errorf("command %q does not look for LLAMA_PORT", cmd)
	}
	if cmd := remoteCommand(config.Endpoint{SSHDiscover: "listening"}); !strings.Contains(cmd, "/proc/net/tcp6") {
		t.Errorf("listening command %q does not read /proc/net/tcp6", cmd)
	}
}
