// Package mototest starts moto (https://github.com/getmoto/moto), a local emulation of AWS
// APIs, in server mode for a test: a real IAM endpoint on loopback that the AWS SDK talks to
// as it would to AWS. moto is a pip package the machine provides (.ci/run checks for it).
package mototest

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// startTimeout bounds how long moto may take to print that it listens.
const startTimeout = 60 * time.Second

// Start runs moto_server on a free loopback port until the test ends and returns its URL.
// Without moto the test fails in CI (CI=true) and is skipped elsewhere.
func Start(t testing.TB) string {
	t.Helper()
	argv, ok := command()
	if !ok {
		if os.Getenv("CI") == "true" {
			t.Fatal("moto is not installed: pip install 'moto[server]' (.ci/run checks for it)")
		}
		t.Skip("moto is not installed (pip install 'moto[server]')")
	}
	port := freePort(t)
	cmd := exec.Command(argv[0], append(argv[1:], "-H", "127.0.0.1", "-p", port)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = nil
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", argv[0], err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	url := "http://127.0.0.1:" + port
	ready := make(chan error, 1)
	go func() {
		s := bufio.NewScanner(stderr)
		for s.Scan() {
			if strings.Contains(s.Text(), "Running on "+url) {
				ready <- nil
				for s.Scan() { // keep draining so moto never blocks on a full pipe
				}
				return
			}
		}
		ready <- fmt.Errorf("moto exited before listening on %s", url)
	}()
	select {
	case err := <-ready:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(startTimeout):
		t.Fatalf("moto did not listen on %s within %s", url, startTimeout)
	}
	return url
}

// command is moto's server entry point: the moto_server script, else the module.
func command() ([]string, bool) {
	if p, err := exec.LookPath("moto_server"); err == nil {
		return []string{p}, true
	}
	if p, err := exec.LookPath("python3"); err == nil && exec.Command(p, "-c", "import moto.server").Run() == nil {
		return []string{p, "-m", "moto.server"}, true
	}
	return nil, false
}

func freePort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
}

// IAM is an IAM client of the moto server at url, with moto's throwaway credentials.
func IAM(url string) *iam.Client {
	return iam.New(iam.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", ""),
	})
}
