package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"ccwb.dev/client/doctor"
	"ccwb.dev/client/internal/cli"
	userdoctor "ccwb.dev/client/internal/doctor"
)

// runDoctor checks this machine's set-up for the profile and prints one line per check (or
// the JSON report), writing a support bundle when asked. It runs before config.json is read:
// reading it is its first check.
func runDoctor(f *flags) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	e := userdoctor.Default()
	results, target := userdoctor.Run(ctx, f.profile, e)
	r := doctor.NewReport("credential-process --doctor", version, results)
	write := doctor.WriteText
	if f.doctorJSON {
		write = doctor.WriteJSON
	}
	if err := write(os.Stdout, r); err != nil {
		fmt.Fprintf(os.Stderr, "ccwb: %v\n", err)
		return cli.ExitFailure
	}
	if f.bundle != "" {
		if err := doctor.WriteBundle(f.bundle, r, userdoctor.Files(e, target), doctor.Redactor{}); err != nil {
			fmt.Fprintf(os.Stderr, "ccwb: %v\n", err)
			return cli.ExitFailure
		}
		fmt.Fprintf(os.Stderr, "ccwb: wrote the support bundle %s (secrets removed; look inside before you send it)\n", f.bundle)
	}
	if r.Failed() {
		return cli.ExitFailure
	}
	return cli.ExitOK
}
