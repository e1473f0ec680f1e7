package quota

import (
	"fmt"
	"time"
)

// Start is the first instant of t's period in loc: local midnight of its day, or of the
// first of its month.
func Start(p Period, t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	if p == Monthly {
		return time.Date(l.Year(), l.Month(), 1, 0, 0, 0, 0, loc)
	}
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
}

// End is when t's period ends and its usage resets: the next period's Start. Day lengths
// follow loc (a DST change makes a day of 23 or 25 hours).
func End(p Period, t time.Time, loc *time.Location) time.Time {
	s := Start(p, t, loc)
	if p == Monthly {
		return time.Date(s.Year(), s.Month()+1, 1, 0, 0, 0, 0, loc)
	}
	return time.Date(s.Year(), s.Month(), s.Day()+1, 0, 0, 0, 0, loc)
}

// PeriodKey names t's period: "D#2026-12-01" or "M#2026-12", in loc.
func PeriodKey(p Period, t time.Time, loc *time.Location) string {
	l := t.In(loc)
	if p == Monthly {
		return fmt.Sprintf("M#%04d-%02d", l.Year(), l.Month())
	}
	return fmt.Sprintf("D#%04d-%02d-%02d", l.Year(), l.Month(), l.Day())
}

// LoadLocation reads a quota.timezone value ("" is UTC).
func LoadLocation(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("timezone %q is not an IANA time zone (e.g. \"UTC\", \"Europe/Berlin\"): %w", name, err)
	}
	return loc, nil
}
