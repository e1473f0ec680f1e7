package quota

import (
	"testing"
	"time"
)

func TestPeriods(t *testing.T) {
	berlin, err := LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		t       time.Time
		p       Period
		loc     *time.Location
		key     string
		resets  string
		hoursIn float64
	}{
		{time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC), Monthly, time.UTC, "M#2026-12", "2027-01-01T00:00:00Z", 744},
		{time.Date(2027, 2, 10, 12, 0, 0, 0, time.UTC), Monthly, time.UTC, "M#2027-02", "2027-03-01T00:00:00Z", 672},
		{time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC), Daily, berlin, "D#2027-01-01", "2027-01-01T23:00:00Z", 24},
		// Berlin's spring DST change: 2027-03-28 has 23 hours.
		{time.Date(2027, 3, 28, 12, 0, 0, 0, time.UTC), Daily, berlin, "D#2027-03-28", "2027-03-28T22:00:00Z", 23},
	} {
		if got := PeriodKey(c.p, c.t, c.loc); got != c.key {
			t.Errorf("PeriodKey(%s, %v) = %s, want %s", c.p, c.t, got, c.key)
		}
		if got := End(c.p, c.t, c.loc).UTC().Format(time.RFC3339); got != c.resets {
			t.Errorf("End(%s, %v) = %s, want %s", c.p, c.t, got, c.resets)
		}
		if got := End(c.p, c.t, c.loc).Sub(Start(c.p, c.t, c.loc)).Hours(); got != c.hoursIn {
			t.Errorf("%s of %v lasts %vh, want %v", c.p, c.t, got, c.hoursIn)
		}
	}
	if _, err := LoadLocation("Mars/Olympus"); err == nil {
		t.Error("an unknown time zone loads")
	}
}
