package idptest

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// SecretService starts a private D-Bus session bus with its own unlocked gnome-keyring, and
// returns the environment (DBUS_SESSION_BUS_ADDRESS) that points a process at it. Tests that
// share it cannot disturb any other keyring. It skips the test unless CCWB_TEST_SECRET_SERVICE=1
// (scripts/test.sh sets it) and the tools are installed.
func SecretService(t testing.TB) []string {
	t.Helper()
	if os.Getenv("CCWB_TEST_SECRET_SERVICE") != "1" {
		t.Skip("keyring test skipped: set CCWB_TEST_SECRET_SERVICE=1 (make test does) to run against a real Secret Service")
	}
	for _, tool := range []string{"dbus-daemon", "gnome-keyring-daemon"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("keyring test skipped: %s is not installed (apt-get install dbus gnome-keyring)", tool)
		}
	}
	bus := exec.Command("dbus-daemon", "--session", "--nofork", "--print-address=1")
	out, err := bus.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := bus.Start(); err != nil {
		t.Fatalf("start dbus-daemon: %v", err)
	}
	t.Cleanup(func() { _ = bus.Process.Kill(); _ = bus.Wait() })
	addrCh := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		addrCh <- strings.TrimSpace(line)
	}()
	var addr string
	select {
	case addr = <-addrCh:
	case <-time.After(10 * time.Second):
		t.Fatal("dbus-daemon printed no address")
	}
	home := t.TempDir()
	env := []string{"DBUS_SESSION_BUS_ADDRESS=" + addr, "XDG_DATA_HOME=" + home + "/data", "XDG_RUNTIME_DIR=" + home}
	kr := exec.Command("gnome-keyring-daemon", "--unlock", "--components=secrets")
	kr.Env = append([]string{"HOME=" + home, "PATH=" + os.Getenv("PATH")}, env...)
	kr.Stdin = strings.NewReader("idptest\n")
	if b, err := kr.CombinedOutput(); err != nil {
		t.Fatalf("start gnome-keyring-daemon: %v\n%s", err, b)
	}
	// The daemon exits with the bus; wait until it serves the login collection.
	deadline := time.Now().Add(10 * time.Second)
	for {
		conn, err := dbus.Connect(addr)
		if err == nil {
			var names []string
			_ = conn.BusObject().Call("org.freedesktop.DBus.ListNames", 0).Store(&names)
			conn.Close()
			if contains(names, "org.freedesktop.secrets") {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("gnome-keyring-daemon did not appear on the private bus")
		}
		time.Sleep(50 * time.Millisecond)
	}
	return env
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// LockKeyring locks every collection of the Secret Service behind env (from SecretService), as
// a screen lock or a fresh login does; unlocking would need the user's password.
func LockKeyring(t testing.TB, env []string) {
	t.Helper()
	var addr string
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "DBUS_SESSION_BUS_ADDRESS="); ok {
			addr = v
		}
	}
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatalf("connect to the private bus: %v", err)
	}
	defer conn.Close()
	svc := conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets")
	var collections []dbus.ObjectPath
	v, err := svc.GetProperty("org.freedesktop.Secret.Service.Collections")
	if err != nil {
		t.Fatalf("list collections: %v", err)
	}
	collections, _ = v.Value().([]dbus.ObjectPath)
	var locked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	if err := svc.Call("org.freedesktop.Secret.Service.Lock", 0, collections).Store(&locked, &prompt); err != nil {
		t.Fatalf("lock the keyring: %v", err)
	}
}
