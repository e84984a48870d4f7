package levers

import "testing"

func TestParseSpan(t *testing.T) {
	for in, want := range map[string]string{"6h": "6h0m0s", "90m": "1h30m0s", "1h30m": "1h30m0s", "2d": "48h0m0s", " 1d ": "24h0m0s"} {
		d, err := ParseSpan(in)
		if err != nil || d.String() != want {
			t.Errorf("ParseSpan(%q) = %v %v, want %s", in, d, err, want)
		}
	}
	for _, in := range []string{"", "0s", "-1h", "1.5d", "soon", "d", "99999d"} {
		if _, err := ParseSpan(in); err == nil {
			t.Errorf("ParseSpan(%q) accepted", in)
		}
	}
}
