package v2

import "testing"

// The official sample of §1.2, recomputed in the digest.
func TestSignVector(t *testing.T) {
	v := Values{"appid": "wxd930ea5d5a258f4f", "mch_id": "10000100", "device_info": "1000", "body": "test",
		"nonce_str": "ibuaiVcKdpRxkhJA", "empty": ""}
	key := "192006250b4c09247ec02edce69f6a2d"
	for _, c := range []struct {
		t    SignType
		want string
	}{
		{MD5, "9A0A8659F005D6984697E2CA0A9CF3B7"},
		{HMACSHA256, "6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6"},
	} {
		if got := Sign(v, key, c.t); got != c.want {
			t.Errorf("%s: %s, want %s", c.t, got, c.want)
		}
		v["sign"] = c.want
		if !Verify(v, key, c.t) {
			t.Errorf("%s: the sample does not verify", c.t)
		}
		other := MD5
		if c.t == MD5 {
			other = HMACSHA256
		}
		if Verify(v, key, other) {
			t.Errorf("%s: verifies under %s too", c.t, other)
		}
		delete(v, "sign")
	}
}

func TestVerifyRefuses(t *testing.T) {
	key := "192006250b4c09247ec02edce69f6a2d"
	base := func() Values {
		v := Values{"appid": "wxd930ea5d5a258f4f", "mch_id": "10000100", "device_info": "1000", "body": "test",
			"nonce_str": "ibuaiVcKdpRxkhJA"}
		v["sign"] = Sign(v, key, MD5)
		return v
	}
	cases := map[string]func(Values) (Values, string){
		"no sign":         func(v Values) (Values, string) { delete(v, "sign"); return v, key },
		"lower-case sign": func(v Values) (Values, string) { v["sign"] = toLower(v["sign"]); return v, key },
		"field changed":   func(v Values) (Values, string) { v["body"] = "test2"; return v, key },
		"field added":     func(v Values) (Values, string) { v["attach"] = "x"; return v, key },
		"sign_type added": func(v Values) (Values, string) { v["sign_type"] = "MD5"; return v, key },
		"another key":     func(v Values) (Values, string) { return v, "292006250b4c09247ec02edce69f6a2d" },
	}
	for name, mutate := range cases {
		v, k := mutate(base())
		if Verify(v, k, MD5) {
			t.Errorf("%s: verified", name)
		}
	}
	if v := base(); !Verify(v, key, MD5) {
		t.Error("the unmodified message does not verify")
	}
	// An empty field is left out of the signature, so adding one changes nothing (§1.2 rule 1).
	v := base()
	v["attach"] = ""
	if !Verify(v, key, MD5) {
		t.Error("an empty field changed the signature")
	}
}

func toLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

func TestParseSignType(t *testing.T) {
	for in, want := range map[string]SignType{"": MD5, "MD5": MD5, "HMAC-SHA256": HMACSHA256, "md5": "", "SHA256": "", "RSA": ""} {
		got, ok := ParseSignType(in)
		if got != want || ok != (want != "") {
			t.Errorf("ParseSignType(%q) = %q %v", in, got, ok)
		}
	}
}

func TestCanonical(t *testing.T) {
	got := Canonical(Values{"b": "2", "a": "1", "sign": "X", "c": "", "B": "3"}, "K")
	if want := "B=3&a=1&b=2&key=K"; got != want {
		t.Errorf("Canonical = %q, want %q", got, want)
	}
}
