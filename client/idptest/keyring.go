package idptest

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"ccwb.dev/contract/testenv"
	"github.com/godbus/dbus/v5"
)

// secretsName is the bus name of the Secret Service.
const secretsName = "org.freedesktop.secrets"

// startTimeout bounds how long each daemon may take to come up.
const startTimeout = 10 * time.Second

// SecretService starts a private D-Bus session bus with its own unlocked gnome-keyring, and
// returns the environment (DBUS_SESSION_BUS_ADDRESS) that points a process at it. Tests that
// share it cannot disturb any other keyring. Without dbus-daemon or gnome-keyring-daemon the
// test fails in CI (CI=true) and is skipped elsewhere (testenv.Need).
func SecretService(t testing.TB) []string {
	t.Helper()
	const hint = "apt-get install dbus gnome-keyring (.ci/run does)"
	busDaemon := testenv.Need(t, "dbus-daemon", hint)
	keyringDaemon := testenv.Need(t, "gnome-keyring-daemon", hint)
	addr := startBus(t, busDaemon)
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatalf("connect to the private bus: %v", err)
	}
	defer conn.Close()
	// Watch for the Secret Service's name before the keyring starts, so its arrival cannot
	// be missed.
	if err := conn.AddMatchSignal(dbus.WithMatchInterface("org.freedesktop.DBus"), dbus.WithMatchMember("NameOwnerChanged"), dbus.WithMatchArg(0, secretsName)); err != nil {
		t.Fatalf("watch the private bus: %v", err)
	}
	owners := make(chan *dbus.Signal, 8)
	conn.Signal(owners)

	home := t.TempDir()
	env := []string{"DBUS_SESSION_BUS_ADDRESS=" + addr, "XDG_DATA_HOME=" + home + "/data", "XDG_RUNTIME_DIR=" + home}
	kr := exec.Command(keyringDaemon, "--unlock", "--components=secrets")
	kr.Env = append([]string{"HOME=" + home, "PATH=" + os.Getenv("PATH")}, env...)
	kr.Stdin = strings.NewReader("idptest\n")
	if b, err := kr.CombinedOutput(); err != nil {
		t.Fatalf("start gnome-keyring-daemon: %v\n%s", err, b)
	}
	// The daemon forks, and exits with the bus; wait until it owns the Secret Service name.
	var owned bool
	if err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, secretsName).Store(&owned); err != nil {
		t.Fatalf("ask the private bus for %s: %v", secretsName, err)
	}
	timeout := time.After(startTimeout)
	for !owned {
		select {
		case sig := <-owners:
			owned = len(sig.Body) == 3 && sig.Body[2] != ""
		case <-timeout:
			t.Fatalf("gnome-keyring-daemon did not serve %s on the private bus within %s", secretsName, startTimeout)
		}
	}
	return env
}

// startBus runs a private session bus until the test ends and returns its address.
func startBus(t testing.TB, daemon string) string {
	t.Helper()
	bus := exec.Command(daemon, "--session", "--nofork", "--print-address=1")
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
	select {
	case addr := <-addrCh:
		if addr == "" {
			t.Fatal("dbus-daemon exited without printing its address")
		}
		return addr
	case <-time.After(startTimeout):
		t.Fatalf("dbus-daemon printed no address within %s", startTimeout)
	}
	return ""
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
