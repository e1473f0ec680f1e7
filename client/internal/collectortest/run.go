package collectortest

import (
	"ccwb.dev/client/idptest"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// Collector is a running collector.
type Collector struct {
	HTTPPort, GRPCPort, HealthPort int
	Log                            string // its stdout and stderr
}

// Start runs bin with the config that render returns for the ports it picked, waits until
// the health check answers, and stops it when the test ends.
func Start(t testing.TB, bin string, render func(httpPort, grpcPort, healthPort int) (string, error)) *Collector {
	t.Helper()
	c := &Collector{HTTPPort: idptest.FreePort(t), GRPCPort: idptest.FreePort(t), HealthPort: idptest.FreePort(t)}
	cfg, err := render(c.HTTPPort, c.GRPCPort, c.HealthPort)
	if err != nil {
		t.Fatalf("collector config: %v", err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	c.Log = filepath.Join(dir, "collector.log")
	logf, err := os.Create(c.Log)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "--config", "file:"+path)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("start collector: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cancel()
			<-exited
		}
		cancel()
		logf.Close()
	})
	health := fmt.Sprintf("http://127.0.0.1:%d/", c.HealthPort)
	deadline := time.Now().Add(60 * time.Second)
	for {
		select {
		case err := <-exited:
			log, _ := os.ReadFile(c.Log)
			t.Fatalf("collector exited before it was healthy: %v\n%s", err, log)
		default:
		}
		if resp, err := http.Get(health); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return c
			}
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(c.Log)
			t.Fatalf("collector not healthy at %s after 60s:\n%s", health, log)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
