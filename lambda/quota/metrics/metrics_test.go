package metrics

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

func TestEmitIsEMF(t *testing.T) {
	var b bytes.Buffer
	if err := Emit(&b, "ccwb", time.UnixMilli(1000), map[string]float64{RecordsCounted: 3, SweepLagSeconds: 60}); err != nil {
		t.Fatal(err)
	}
	var line struct {
		Deployment     string
		RecordsCounted float64
		AWS            struct {
			Timestamp         int64
			CloudWatchMetrics []struct {
				Namespace  string
				Dimensions [][]string
				Metrics    []struct{ Name, Unit string }
			}
		} `json:"_aws"`
	}
	if err := json.Unmarshal(b.Bytes(), &line); err != nil {
		t.Fatal(err)
	}
	m := line.AWS.CloudWatchMetrics[0]
	if line.Deployment != "ccwb" || line.RecordsCounted != 3 || line.AWS.Timestamp != 1000 || m.Namespace != Namespace ||
		m.Dimensions[0][0] != Dimension || len(m.Metrics) != 2 || m.Metrics[1].Unit != "Seconds" {
		t.Errorf("EMF line %s", b.String())
	}
}
