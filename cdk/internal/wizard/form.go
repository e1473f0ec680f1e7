package wizard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/charmbracelet/huh"

	"ccwb.dev/cdk/settings"
)

// Options say how the wizard talks to the user.
type Options struct {
	// Accessible asks line by line (screen readers, dumb terminals, scripts and tests)
	// instead of the full-screen form.
	Accessible bool
	In         io.Reader
	Out        io.Writer
}

// ErrAborted is returned when the user cancels the wizard.
var ErrAborted = errors.New("init cancelled: nothing written")

// Run asks every question that applies, in order, each defaulting to the current value
// of d, and stores the answers in d. Answers are validated as they are given.
func Run(ctx context.Context, d *settings.Deployment, o Options) error {
	in := o.In
	if o.Accessible {
		// huh reads each accessible answer with a fresh buffered scanner: hand it one line
		// at a time so that piped answers are not swallowed by the first question.
		in = &lineReader{r: o.In}
	}
	for _, q := range Questions {
		if q.Ask != nil && !q.Ask(d) {
			continue
		}
		value, err := ask(ctx, q, d, in, o)
		if err != nil {
			return err
		}
		if err := q.Answer(d, value); err != nil {
			return err
		}
	}
	return nil
}

func ask(ctx context.Context, q Question, d *settings.Deployment, in io.Reader, o Options) (string, error) {
	value := q.Get(d)
	current := value
	title := q.Title
	if o.Accessible && q.Kind == Text {
		// Line mode shows no pre-filled input: name the default in the prompt.
		if q.Help != "" {
			title += " (" + q.Help + ")"
		}
		if current != "" {
			title += " [" + current + "]"
		}
	}
	var field huh.Field
	var yes bool
	switch q.Kind {
	case Choice:
		sel := huh.NewSelect[string]().Title(q.Title).Description(q.Help).
			Options(huh.NewOptions(q.Options(d)...)...).Value(&value)
		if q.Check != nil {
			sel = sel.Validate(func(v string) error { return q.Check(d, v) })
		}
		field = sel
	case YesNo:
		yes, _ = ParseBool(value)
		field = huh.NewConfirm().Title(q.Title).Description(q.Help).Value(&yes)
	default:
		field = huh.NewInput().Title(title).Description(q.Help).Value(&value).
			Validate(func(v string) error {
				if v == "" { // an empty answer keeps the current value
					v = current
				}
				if q.Check == nil {
					return nil
				}
				return q.Check(d, v)
			})
	}
	form := huh.NewForm(huh.NewGroup(field)).WithAccessible(o.Accessible).WithInput(in).WithOutput(o.Out)
	if err := form.RunWithContext(ctx); err != nil {
		if errors.Is(err, huh.ErrUserAborted) {
			return "", ErrAborted
		}
		return "", fmt.Errorf("ask %s: %w", q.Flag, err)
	}
	if q.Kind == YesNo {
		return strconv.FormatBool(yes), nil
	}
	return value, nil
}

// lineReader returns at most one line per Read.
type lineReader struct{ r io.Reader }

func (l *lineReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		m, err := l.r.Read(p[n : n+1])
		n += m
		if err != nil {
			return n, err
		}
		if m == 1 && p[n-1] == '\n' {
			break
		}
	}
	return n, nil
}
