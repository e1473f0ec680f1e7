package transform

import (
	"math"
	"strconv"
	"testing"
)

func TestAppendValueFormatsLikeAppendFloat(t *testing.T) {
	for _, v := range []float64{0, math.Copysign(0, -1), 1, -1, 7, 999999, -999999, 1e6, -1e6, 1234567, 0.5, 1e21, 2.5e-7, math.MaxInt64, math.Inf(1), math.NaN(), 123.0001} {
		if got, want := string(appendValue(nil, v)), strconv.FormatFloat(v, 'g', -1, 64); got != want {
			t.Errorf("appendValue(%v) = %s, want %s", v, got, want)
		}
	}
}
