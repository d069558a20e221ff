package lab_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"fragmenteditor/backend/config"
	"fragmenteditor/backend/discovery"
	"fragmenteditor/backend/lab"
	"fragmenteditor/backend/sshpool"
)

// inLab is discovery run in the test process with every connection (SSH
// and direct probes) opened inside the lab's proxy namespace.
type inLab struct {
	pool  *sshpool.Pool
	sched *discovery.Scheduler
	runs  chan discovery.Report
	stop  context.CancelFunc
}

func startDiscovery(t testing.TB, l *lab.Lab, members string) *inLab {
	t.Helper()
	cfg, err := config.Parse([]byte(fmt.Sprintf(`{"port": 1, "interval": 3600000, "connect_timeout": 1000, "probe_timeout": 1000, %s}`, members)))
	if err != nil {
		t.Fatal(err)
	}
	d := &inLab{runs: make(chan discovery.Report, 1)}
	d.pool = sshpool.New(sshpool.Options{Home: l.Home, NoAgent: true, ConnectTimeout: time.Second,
		DialTCP: func(ctx context.Context, addr string) (net.Conn, error) { return l.Proxy.DialContext(ctx, "tcp", addr) }})
	client := &http.Client{Transport: &http.Transport{DialContext: l.Proxy.DialContext, DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	d.sched = discovery.New(discovery.Options{Config: cfg, SSH: d.pool, Client: client,
		OnRun: func(r discovery.Report) { d.runs <- r }})
	ctx, cancel := context.WithCancel(context.Background())
	d.stop = cancel
	go d.sched.Run(ctx)
	t.Cleanup(func() { cancel(); d.pool.Close() })
	return d
}

// run waits for the next run's report (the first comes by itself; later
// ones are asked for).
func (d *inLab) next() discovery.Report { return <-d.runs }

func (d *inLab) rescan() discovery.Report {
	d.sched.Rescan()
	return <-d.runs
}

// sshRanges are SSH endpoints probing 8000-8010 on every host through
// tunnels.
func sshRanges(l *lab.Lab) string {
	var eps []string
	for _, h := range l.Hosts {
		eps = append(eps, sshEndpoint(h, `, "port_start": 8000, "port_end": 8010`))
	}
	return `"endpoints": [` + strings.Join(eps, ",") + `]`
}

func TestLabDiscoveryUsesOneConnectionPerHost(t *testing.T) {
	l := theLab(t)
	var eps []string
	for _, h := range l.Hosts {
		eps = append(eps, sshEndpoint(h, `, "env_var": "LLAMA_PORT"`), sshEndpoint(h, `, "ssh_discover": "listening"`),
			sshEndpoint(h, `, "port_start": 8000, "port_end": 8010`))
	}
	d := startDiscovery(t, l, `"endpoints": [`+strings.Join(eps, ",")+`]`)
	first := d.next()
	for range 4 {
		r := d.rescan()
		t.Logf("run %v", r.Duration)
	}
	if got := d.pool.Connects(); got != int64(len(l.Hosts)) {
		t.Errorf("%d SSH connections for %d hosts over 5 runs, want one per host", got, len(l.Hosts))
	}
	for _, e := range first.Endpoints {
		if e.SSHError != "" || e.Answered == 0 {
			t.Errorf("endpoint %d %s: answered %d, ssh error %q, errors %q", e.Index, e.Target, e.Answered, e.SSHError, e.Errors)
		}
		if e.Via == "" || !e.Tunnel {
			t.Errorf("endpoint %d: via %q tunnel %v, want its ssh:// login and a tunnel", e.Index, e.Via, e.Tunnel)
		}
	}
	t.Logf("first run %v (3 connections made), then runs reuse them", first.Duration)
}
