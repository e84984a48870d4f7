package web

import "testing"

func TestLag(t *testing.T) {
	for ms, want := range map[int64]string{
		0: "0 ms", -3: "0 ms", 350: "350 ms", 999: "999 ms", 1000: "1s", 3400: "3s",
		90_000: "1m30s", 7_200_000: "2h", 7_500_000: "2h5m", 172_560_000: "47h56m", 3_601_000: "1h0m1s",
	} {
		if got := Lag(ms); got != want {
			t.Errorf("Lag(%d) = %q, want %q", ms, got, want)
		}
	}
}
