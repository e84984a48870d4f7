package controlapi

import (
	"encoding/json"
	"testing"
)

// TestAppEntry: an entry is written exactly as the app or partner it
// holds, and read back by its protocol; a protocol newer than the client
// still reads as an app's common fields.
func TestAppEntry(t *testing.T) {
	p := Partner{Protocol: ProtocolLegacy, PID: "2088101122136241", MD5Key: "k", SignType: "MD5"}
	a := App{Protocol: ProtocolOpenAPI, AppID: "2021000122600001", SignType: "RSA2"}
	for _, e := range []AppEntry{{Partner: &p}, {App: &a}} {
		got, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		var want []byte
		if e.Partner != nil {
			want, _ = json.Marshal(p)
		} else {
			want, _ = json.Marshal(a)
		}
		if string(got) != string(want) {
			t.Errorf("marshal: %s, want %s", got, want)
		}
		var back AppEntry
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatal(err)
		}
		if (back.Partner == nil) != (e.Partner == nil) || (back.Partner != nil && *back.Partner != p) || (back.App != nil && *back.App != a) {
			t.Errorf("round trip of %s: %+v", got, back)
		}
	}
	// Another platform's app keeps every field, and marshals back to them.
	var other AppEntry
	in := `{"app_id":"1900000109","mch_id":"1900000109","protocol":"wechatpay"}`
	if err := json.Unmarshal([]byte(in), &other); err != nil || other.App == nil || other.App.AppID != "1900000109" || other.Other["mch_id"] != "1900000109" {
		t.Errorf("another platform's app: %+v %v", other, err)
	}
	if out, _ := json.Marshal(other); string(out) != in {
		t.Errorf("marshal of another platform's app: %s", out)
	}
}
